package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Which keys each query may attend to: causal (no key after the query) and/or a (B, T) padding
 * mask with 1 for tokens and 0 for pads (Hugging Face's attention_mask convention). Null padding
 * means every token is real.
 */
public record AttentionMask(boolean causal, NDArray padding) {

    /** The score added to a masked key: large enough to zero its weight, finite so a fully masked row has no NaN. */
    public static final float MASKED = -1e9f;

    /** Every query sees every key. */
    public static AttentionMask none() {
        return new AttentionMask(false, null);
    }

    /** Every query sees itself and the keys before it. */
    public static AttentionMask causalOnly() {
        return new AttentionMask(true, null);
    }

    /** Queries see every real token and no pad. */
    public static AttentionMask padding(NDArray padding) {
        return new AttentionMask(false, padding);
    }

    /** Queries see the real tokens up to themselves. */
    public static AttentionMask causal(NDArray padding) {
        return new AttentionMask(true, padding);
    }

    /**
     * The additive score bias for {@code queries} queries at positions offset.. and {@code keys}
     * keys at 0..: 0 where attending is allowed, {@link #MASKED} elsewhere; shape (B or 1, 1, Tq, Tk).
     */
    public NDArray bias(NDManager manager, long queries, long keys, long offset) {
        NDArray bias = manager.zeros(new ai.djl.ndarray.types.Shape(1, 1, queries, keys));
        if (causal) {
            NDArray queryPositions = manager.arange(offset, offset + queries).reshape(queries, 1);   // (Tq, 1)
            NDArray keyPositions = manager.arange(0, keys).reshape(1, keys);                         // (1, Tk)
            NDArray future = keyPositions.gt(queryPositions).toType(DataType.FLOAT32, false);       // (Tq, Tk)
            bias = bias.add(future.mul(MASKED).reshape(1, 1, queries, keys));
        }
        if (padding != null) {
            long batch = padding.getShape().get(0);
            NDArray pads = padding.toType(DataType.FLOAT32, false).neg().add(1f);                  // (B, Tk): 1 = pad
            bias = bias.add(pads.mul(MASKED).reshape(batch, 1, 1, keys));                           // (B, 1, 1, Tk)
        }
        return bias;
    }
}
