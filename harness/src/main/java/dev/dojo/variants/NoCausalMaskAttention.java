package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention that applies the padding mask but never the causal one. A known-bad variant.
 */
final class NoCausalMaskAttention extends Attention {

    NoCausalMaskAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray mask(NDArray scores, AttentionMask mask, NDManager manager, long offset) {
        long queries = scores.getShape().get(2);
        long keys = scores.getShape().get(3);
        AttentionMask padding = AttentionMask.padding(mask.padding());
        return scores.add(bias(padding, manager, queries, keys, offset));     // (B, H, T, S)
    }
}
