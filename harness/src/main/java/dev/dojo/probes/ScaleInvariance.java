package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.Norm;
import dev.dojo.tensor.Seeded;

import java.util.List;

/**
 * Scale invariance: RMSNorm and LayerNorm divide by a statistic that scales with their input, so
 * norm(α·x) = norm(x) for α &gt; 0. With inputs of order 1, eps moves the result by about eps/2
 * relative, far below the tolerance (1e-4). The probe runs the kit's norm, of the kind its
 * configuration names, on x: (B, T, C) and on 3.7·x. Needs no reference implementation.
 * <p>
 * Blind spots: a norm over the wrong axis, or over every axis, is still scale invariant and passes,
 * as do a wrong gain, a missing bias and eps in the wrong place; {@link ShiftInvariance} and the
 * causality and batch probes see some of those.
 */
public final class ScaleInvariance implements Probe {
    public static final String NAME = "scale invariance";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-4, 1e-4);
    private static final float ALPHA = 3.7f;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "norm(α·x) = norm(x) for α > 0";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        Seeded seeded = Seeded.of(manager, seed);
        Norm norm = kit.norm(c.layerParameters(seeded, "").under("input_layernorm"), c);
        String kind = c.norm() == ModelConfig.NormKind.RMS_NORM ? "RMSNorm" : "LayerNorm";
        return check(norm, seeded, 2, 6, c.width(), kind);
    }

    /** Compares norm(3.7·x) with norm(x) for x: (B, T, C) drawn from {@code seeded}. */
    public static ProbeResult check(Norm norm, Seeded seeded, long batch, long tokens, long width, String kind) {
        NDArray x = seeded.normal("scale-invariance.x", 1, batch, tokens, width);
        return new ProbeResult(NAME, kind + "(" + ALPHA + "·x) must equal " + kind + "(x)",
                Comparison.of(norm.forward(x.mul(ALPHA)), norm.forward(x), TOLERANCE),
                "Norm of the input scaled by " + ALPHA, "the norm of the input", List.of("batch", "pos", "dim"),
                seeded.seed());
    }
}
