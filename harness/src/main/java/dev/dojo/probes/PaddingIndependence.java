package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Block;
import dev.dojo.kit.ModelConfig;
import dev.dojo.kit.Kit;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.reference.AttentionMask;
import dev.dojo.tensor.Seeded;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Padding independence: a real token's output ignores what the pad tokens hold. The probe runs
 * the layer twice, with the pads' content redrawn, and compares the real tokens' outputs.
 * Needs no reference implementation.
 */
public final class PaddingIndependence implements Probe {
    public static final String NAME = "padding independence";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-6, 1e-5);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "changing what the pad tokens hold leaves every real token's output unchanged";
    }

    /** Runs a block of the kit without a causal mask: with one, right padding is invisible to real tokens. */
    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        Seeded seeded = Seeded.of(manager, seed);
        Block block = kit.randomBlock(seeded);
        NDArray x = seeded.normal("padding-independence.x", 1, 3, 6, c.width());
        NDArray padding = seeded.rightPadding(6, 6, 3, 4);
        return check(block::forward, x, padding, false, seeded);
    }

    /** x: (B, T, C); padding: (B, T), 1 for tokens and 0 for pads. */
    public static ProbeResult check(BiFunction<NDArray, AttentionMask, NDArray> layer, NDArray x, NDArray padding,
                                    boolean causal, Seeded seeded) {
        NDArray keep = padding.expandDims(-1);                                          // (B, T, 1)
        NDArray repadded = repad(x, padding, seeded, "padding-independence.noise");     // pads redrawn
        AttentionMask mask = new AttentionMask(causal, padding);
        NDArray before = layer.apply(x, mask).mul(keep);                                // real tokens only
        NDArray after = layer.apply(repadded, mask).mul(keep);
        return new ProbeResult(NAME, "changing what the pad tokens hold must leave every real token's output unchanged",
                Comparison.of(after, before, TOLERANCE), "Real tokens' output with the pads redrawn",
                "their output before", List.of("batch", "pos", "dim"), seeded.seed());
    }

    /** x: (B, T, C) with its pads (0 in {@code padding}: (B, T)) redrawn from the stream {@code name}, std 3. */
    static NDArray repad(NDArray x, NDArray padding, Seeded seeded, String name) {
        NDArray keep = padding.expandDims(-1);                                          // (B, T, 1)
        NDArray noise = seeded.normal(name, 3, x.getShape().getShape());
        return x.mul(keep).add(noise.mul(keep.neg().add(1f)));                          // (B, T, C)
    }
}
