package dev.dojo.drills;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import dev.dojo.reference.AttentionMask;
import dev.dojo.tensor.Seeded;

import java.util.SplittableRandom;

/**
 * The mask layouts an attention accepts: none, causal, padding on either side, and both. A padded
 * batch keeps one full-length item; the others are shorter, so every batch holds pads.
 */
public enum MaskLayout {
    NONE("no mask", false, false, false),
    CAUSAL("a causal mask", true, false, false),
    RIGHT_PADDING("padding on the right", false, true, false),
    LEFT_PADDING("padding on the left", false, true, true),
    CAUSAL_RIGHT_PADDING("a causal mask and padding on the right", true, true, false),
    CAUSAL_LEFT_PADDING("a causal mask and padding on the left", true, true, true);

    private final String words;
    private final boolean causal;
    private final boolean padded;
    private final boolean left;

    MaskLayout(String words, boolean causal, boolean padded, boolean left) {
        this.words = words;
        this.causal = causal;
        this.padded = padded;
        this.left = left;
    }

    /** "a causal mask and padding on the left". */
    @Override
    public String toString() {
        return words;
    }

    public boolean causal() {
        return causal;
    }

    public boolean padded() {
        return padded;
    }

    /**
     * The (B, T) padding of a batch, 1 for tokens and 0 for pads, drawn from {@code seeded}; null
     * when this layout has none. Item lengths are drawn between 2 and T - 1, but one item is full.
     */
    public NDArray padding(Seeded seeded, long batch, long tokens) {
        if (!padded) {
            return null;
        }
        SplittableRandom random = seeded.stream("lengths");
        int full = random.nextInt(Math.toIntExact(batch));
        long[] lengths = new long[Math.toIntExact(batch)];
        for (int b = 0; b < batch; b++) {
            lengths[b] = b == full || tokens < 3 ? tokens : 2 + random.nextLong(tokens - 2);
        }
        return left ? seeded.leftPadding(tokens, lengths) : seeded.rightPadding(tokens, lengths);
    }

    /** The mask of this layout over {@code padding} (null when it has none). */
    public AttentionMask mask(NDArray padding) {
        return new AttentionMask(causal, padding);
    }

    /**
     * {@code out}: (B, T, ...) with every pad position set to 0, so that only real tokens are compared:
     * a pad's output is never read, and a pad before the first token under a causal mask sees no key.
     */
    public static NDArray realTokens(NDArray out, NDArray padding) {
        if (padding == null) {
            return out;
        }
        long[] shape = new long[out.getShape().dimension()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = padding.getShape().get(0);
        shape[1] = padding.getShape().get(1);
        NDArray real = padding.toType(ai.djl.ndarray.types.DataType.BOOLEAN, false)
                .reshape(new ai.djl.ndarray.types.Shape(shape)).broadcast(out.getShape());
        return NDArrays.where(real, out, out.zerosLike());
    }
}
