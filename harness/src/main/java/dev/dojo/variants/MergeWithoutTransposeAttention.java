package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Attention;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention that merges heads with a plain reshape to (B, T, H·D), without the transpose. A known-bad
 * variant.
 */
final class MergeWithoutTransposeAttention extends Attention {

    MergeWithoutTransposeAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray merge(NDArray context) {
        long batch = context.getShape().get(0);
        long tokens = context.getShape().get(2);
        return context.reshape(batch, tokens, -1);                            // (B, T, H·D)
    }
}
