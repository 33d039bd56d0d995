package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention that builds its causal mask as if the queries started at position 0, whatever the cache
 * holds. A known-bad variant.
 */
final class DecodeMaskAtZeroAttention extends Attention {

    DecodeMaskAtZeroAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray mask(NDArray scores, AttentionMask mask, NDManager manager, long offset) {
        long queries = scores.getShape().get(2);
        long keys = scores.getShape().get(3);
        return scores.add(mask.bias(manager, queries, keys, 0));              // (B, H, T, S)
    }
}
