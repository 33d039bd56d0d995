package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention that applies its mask after the softmax, zeroing the probabilities of masked keys: the
 * masked keys' scores are still in each row's normalizer, so rows no longer sum to 1. A known-bad variant.
 */
final class MaskAfterSoftmaxAttention extends Attention {

    MaskAfterSoftmaxAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray weights(NDArray scores, AttentionMask mask, NDManager manager, long offset) {  // (B, H, T, S)
        NDArray allowed = mask(scores.zerosLike(), mask, manager, offset).eq(0).toType(DataType.FLOAT32, false);
        return softmax(scores).mul(allowed);                                                          // (B, H, T, S)
    }
}
