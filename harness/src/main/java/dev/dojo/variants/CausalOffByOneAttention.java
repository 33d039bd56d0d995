package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention whose causal mask lets each query see one key after itself. A known-bad variant.
 */
final class CausalOffByOneAttention extends Attention {

    CausalOffByOneAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray mask(NDArray scores, AttentionMask mask, NDManager manager, long offset) {
        long queries = scores.getShape().get(2);
        long keys = scores.getShape().get(3);
        return scores.add(mask.bias(manager, queries, keys, offset + 1));     // (B, H, T, S)
    }
}
