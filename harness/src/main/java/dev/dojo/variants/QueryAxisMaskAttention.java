package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention whose padding mask is broadcast over the query axis, (B, 1, T, 1), instead of the key
 * axis: real queries attend to pads, and pads attend to nothing. A known-bad variant.
 */
final class QueryAxisMaskAttention extends Attention {

    QueryAxisMaskAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray mask(NDArray scores, AttentionMask mask, NDManager manager, long offset) {
        long queries = scores.getShape().get(2);
        long keys = scores.getShape().get(3);
        AttentionMask positions = new AttentionMask(mask.causal(), null, mask.window());
        scores = scores.add(bias(positions, manager, queries, keys, offset));     // (B, H, T, S)
        if (mask.padding() == null) {
            return scores;
        }
        long batch = mask.padding().getShape().get(0);
        NDArray pads = mask.padding().toType(DataType.FLOAT32, false).neg().add(1f);  // (B, S): 1 = pad
        return scores.add(pads.mul(AttentionMask.MASKED).reshape(batch, 1, keys, 1));  // (B, H, T, S)
    }
}
