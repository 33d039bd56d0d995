package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Attention;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention that normalizes its scores over the query axis instead of the key axis. A known-bad
 * variant.
 */
final class SoftmaxOverQueriesAttention extends Attention {

    SoftmaxOverQueriesAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray softmax(NDArray scores) {
        return scores.softmax(-2);                                            // (B, H, T, S)
    }
}
