package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;
import dev.dojo.reference.TiledAttention;

/**
 * Tiled attention whose online softmax rescales the running sum but not the accumulator when a
 * tile raises the maximum: earlier tiles' values keep weights taken against an old maximum. A known-bad variant.
 */
final class UnscaledAccumulatorTiledAttention extends TiledAttention {

    UnscaledAccumulatorTiledAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads,
                                      Rotary rope, int tile) {
        super(wq, wk, wv, wo, heads, kvHeads, rope, tile);
    }

    @Override
    protected Running fold(Running running, NDArray scores, NDArray values) {
        NDArray max = running.max().maximum(scores.max(new int[] {-1}, true));
        NDArray rescale = running.max().sub(max).exp();
        NDArray p = scores.sub(max).exp();
        NDArray sum = running.sum().mul(rescale).add(p.sum(new int[] {-1}, true));
        NDArray accumulator = running.accumulator().add(p.matMul(values));
        return new Running(max, sum, accumulator);
    }
}
