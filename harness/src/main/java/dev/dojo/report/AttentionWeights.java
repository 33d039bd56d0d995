package dev.dojo.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Attention weights (B, H, T, T) copied out of the engine, so a report outlives the tensors.
 * Row t of a map is query t's weights over the keys.
 */
public record AttentionWeights(int batch, int heads, int tokens, float[] values) {

    public AttentionWeights {
        if (values.length != batch * heads * tokens * tokens) {
            throw new IllegalArgumentException("weights of (B, H, T, T) = (" + batch + ", " + heads + ", " + tokens
                    + ", " + tokens + ") need " + batch * heads * tokens * tokens + " values, got " + values.length);
        }
    }

    /** A copy of {@code weights}: (B, H, T, T). */
    public static AttentionWeights of(NDArray weights) {
        Shape s = weights.getShape();
        if (s.dimension() != 4 || s.get(2) != s.get(3)) {
            throw new IllegalArgumentException("attention weights must be (B, H, T, T), got " + s);
        }
        return new AttentionWeights(Math.toIntExact(s.get(0)), Math.toIntExact(s.get(1)), Math.toIntExact(s.get(2)),
                weights.toType(DataType.FLOAT32, false).toFloatArray());
    }

    /** Query {@code query}'s weight on key {@code key} in head {@code head} of item {@code item}. */
    public float get(int item, int head, int query, int key) {
        return values[((item * heads + head) * tokens + query) * tokens + key];
    }

    /** The map of one item and head: [query][key]. */
    public float[][] map(int item, int head) {
        float[][] map = new float[tokens][tokens];
        for (int t = 0; t < tokens; t++) {
            for (int s = 0; s < tokens; s++) {
                map[t][s] = get(item, head, t, s);
            }
        }
        return map;
    }

    /** The largest |this - other| over one item and head. */
    public double largestDifference(AttentionWeights other, int item, int head) {
        requireSameShape(other);
        double largest = 0;
        for (int t = 0; t < tokens; t++) {
            for (int s = 0; s < tokens; s++) {
                double d = Math.abs(get(item, head, t, s) - other.get(item, head, t, s));
                largest = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(largest, d);
            }
        }
        return largest;
    }

    /** The batch item where this and {@code other} differ most (the first, when they agree). */
    public int mostDifferentItem(AttentionWeights other) {
        int best = 0;
        double largest = -1;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                double d = largestDifference(other, b, h);
                if (d > largest) {
                    largest = d;
                    best = b;
                }
            }
        }
        return best;
    }

    void requireSameShape(AttentionWeights other) {
        if (other.batch != batch || other.heads != heads || other.tokens != tokens) {
            throw new IllegalArgumentException("attention weights (" + batch + ", " + heads + ", " + tokens + ", "
                    + tokens + ") and (" + other.batch + ", " + other.heads + ", " + other.tokens + ", " + other.tokens
                    + ") must have the same shape");
        }
    }
}
