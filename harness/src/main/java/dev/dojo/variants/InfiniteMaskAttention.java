package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention that fills masked scores with -∞ (masked_fill), so a query that may see no key gets NaN. A
 * known-bad variant.
 */
final class InfiniteMaskAttention extends Attention {

    InfiniteMaskAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray mask(NDArray scores, AttentionMask mask, NDManager manager, long offset) {
        NDArray blocked = mask.bias(manager, scores.getShape().get(2), scores.getShape().get(3), offset).lt(0f)
                .broadcast(scores.getShape());
        return NDArrays.where(blocked, manager.full(scores.getShape(), Float.NEGATIVE_INFINITY), scores);
    }
}
