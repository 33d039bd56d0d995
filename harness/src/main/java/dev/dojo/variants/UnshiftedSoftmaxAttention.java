package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Attention;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention with a hand-written softmax, exp(s) / Σ exp(s), that does not subtract the row maximum
 * first. A known-bad variant.
 */
final class UnshiftedSoftmaxAttention extends Attention {

    UnshiftedSoftmaxAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray softmax(NDArray scores) {
        NDArray exp = scores.exp();                                           // (B, H, T, S)
        return exp.div(exp.sum(new int[] {-1}, true));                        // (B, H, T, S)
    }
}
