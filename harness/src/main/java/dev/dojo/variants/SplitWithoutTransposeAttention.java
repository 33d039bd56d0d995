package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Attention;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention that splits heads with a plain reshape to (B, n, T, D), without the transpose. A known-bad
 * variant.
 */
final class SplitWithoutTransposeAttention extends Attention {

    SplitWithoutTransposeAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray split(NDArray x, int n) {
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        return x.reshape(batch, n, tokens, headSize());                       // (B, n, T, D)
    }
}
