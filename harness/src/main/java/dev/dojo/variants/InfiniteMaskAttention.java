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
        long queries = scores.getShape().get(2);
        long keys = scores.getShape().get(3);
        NDArray blocked = bias(mask, manager, queries, keys, offset).lt(0f)   // (B or 1, 1, T, S)
                .broadcast(scores.getShape());                                // (B, H, T, S)
        NDArray filled = manager.full(scores.getShape(), Float.NEGATIVE_INFINITY);  // (B, H, T, S)
        return NDArrays.where(blocked, filled, scores);                       // (B, H, T, S)
    }
}
