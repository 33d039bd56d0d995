package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.assertions.Comparison;
import dev.dojo.assertions.Tolerance;
import dev.dojo.reference.AttentionMask;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Batch independence: each sample's output is the same computed alone as computed in a batch.
 * Catches reductions and reshapes that mix samples. Needs no reference implementation.
 */
public final class BatchIndependence {
    public static final String NAME = "batch independence";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-6, 1e-5);

    private BatchIndependence() {}

    /** Runs {@code layer} on x: (B, T, C) with {@code padding} (B, T) or null, whole and one sample at a time. */
    public static ProbeResult check(BiFunction<NDArray, AttentionMask, NDArray> layer, NDArray x, NDArray padding,
                                    boolean causal, long seed) {
        NDArray batched = layer.apply(x, new AttentionMask(causal, padding));
        NDArray alone = null;
        for (long b = 0; b < x.getShape().get(0); b++) {
            NDIndex item = new NDIndex("{}:{}", b, b + 1);
            NDArray one = layer.apply(x.get(item), new AttentionMask(causal, padding == null ? null : padding.get(item)));
            alone = alone == null ? one : alone.concat(one, 0);
        }
        return new ProbeResult(NAME, "each sample's output must be the same alone as in the batch",
                Comparison.of(batched, alone, TOLERANCE), "Output in the batch", "each sample run alone",
                List.of("batch", "pos", "dim"), seed);
    }
}
