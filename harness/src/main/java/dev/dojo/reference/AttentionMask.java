package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Which keys each query may attend to: causal (no key after the query), optionally within a
 * sliding window of the last {@code window} positions (Mistral), and/or a (B, T) padding mask with
 * 1 for tokens and 0 for pads (Hugging Face's attention_mask convention). Null padding means every
 * token is real; window 0 means no window.
 */
public record AttentionMask(boolean causal, NDArray padding, int window) {

    /** The score added to a masked key: large enough to zero its weight, finite so a fully masked row has no NaN. */
    public static final float MASKED = -1e9f;

    public AttentionMask {
        if (window < 0) {
            throw new IllegalArgumentException("window (" + window + ") must be positive, or 0 for none");
        }
        if (window > 0 && !causal) {
            throw new IllegalArgumentException("a sliding window (" + window + ") needs the causal mask: it keeps the"
                    + " last " + window + " positions up to the query");
        }
    }

    /** A causal and/or padding mask without a sliding window. */
    public AttentionMask(boolean causal, NDArray padding) {
        this(causal, padding, 0);
    }

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

    /** Query i sees keys i - W + 1 … i (Mistral's sliding window): exactly W once i ≥ W - 1, all before that. */
    public static AttentionMask slidingWindow(int window) {
        return new AttentionMask(true, null, requirePositive(window));
    }

    /** As {@link #slidingWindow(int)}, and no pad. */
    public static AttentionMask slidingWindow(int window, NDArray padding) {
        return new AttentionMask(true, padding, requirePositive(window));
    }

    /** The same mask with a sliding window of {@code w} positions (0 for none). */
    public AttentionMask withWindow(int w) {
        return new AttentionMask(causal, padding, w);
    }

    /**
     * The additive score bias for {@code queries} queries at positions offset.. and {@code keys}
     * keys at 0..: 0 where attending is allowed, {@link #MASKED} elsewhere; shape (B or 1, 1, Tq, Tk).
     */
    public NDArray bias(NDManager manager, long queries, long keys, long offset) {
        return bias(manager, queries, keys, offset, 0);
    }

    /**
     * The additive score bias for {@code queries} queries at positions queryStart.. and {@code keys}
     * keys at positions keyStart..: 0 where attending is allowed, {@link #MASKED} for each rule that
     * forbids it; shape (B or 1, 1, Tq, Tk). The padding's last Tk columns are the keys'.
     */
    public NDArray bias(NDManager manager, long queries, long keys, long queryStart, long keyStart) {
        NDArray bias = manager.zeros(new Shape(1, 1, queries, keys));
        NDArray queryPositions = manager.arange(queryStart, queryStart + queries).reshape(queries, 1);  // (Tq, 1)
        NDArray keyPositions = manager.arange(keyStart, keyStart + keys).reshape(1, keys);              // (1, Tk)
        NDArray distance = queryPositions.sub(keyPositions);                                           // (Tq, Tk)
        if (causal) {
            NDArray future = distance.lt(0).toType(DataType.FLOAT32, false);                          // (Tq, Tk)
            bias = bias.add(future.mul(MASKED).reshape(1, 1, queries, keys));
        }
        if (window > 0) {
            NDArray outside = distance.gte(window).toType(DataType.FLOAT32, false);                   // (Tq, Tk)
            bias = bias.add(outside.mul(MASKED).reshape(1, 1, queries, keys));
        }
        if (padding != null) {
            long batch = padding.getShape().get(0);
            long columns = padding.getShape().get(1);
            if (columns < keys) {
                throw new IllegalArgumentException("the padding mask has " + columns + " columns, fewer than the "
                        + keys + " keys");
            }
            NDArray seen = columns == keys ? padding : padding.get(new NDIndex(":, {}:", columns - keys));  // (B, Tk)
            NDArray pads = seen.toType(DataType.FLOAT32, false).neg().add(1f);                      // (B, Tk): 1 = pad
            bias = bias.add(pads.mul(MASKED).reshape(batch, 1, 1, keys));                           // (B, 1, 1, Tk)
        }
        return bias;
    }

    private static int requirePositive(int window) {
        if (window <= 0) {
            throw new IllegalArgumentException("a sliding window must hold at least one position, got " + window);
        }
        return window;
    }
}
