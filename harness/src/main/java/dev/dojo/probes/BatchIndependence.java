package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import dev.dojo.tensor.Seeded;
import dev.dojo.reference.Block;
import dev.dojo.kit.ModelConfig;
import dev.dojo.kit.Kit;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.reference.AttentionMask;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Batch independence: each sample's output is the same computed alone as computed in a batch.
 * Catches reductions and reshapes that mix samples. Needs no reference implementation.
 */
public final class BatchIndependence implements Probe {
    public static final String NAME = "batch independence";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-6, 1e-5);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "each sample's output is the same alone as in the batch";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        Seeded seeded = Seeded.of(manager, seed);
        Block block = kit.randomBlock(seeded);
        NDArray x = seeded.normal("batch-independence.x", 1, 3, 6, c.width());
        NDArray padding = seeded.rightPadding(6, 6, 4, 5);
        return check(block::forward, x, padding, true, seed);
    }

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
