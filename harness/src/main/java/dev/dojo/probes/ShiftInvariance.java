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
 * Shift invariance: LayerNorm subtracts each token's mean over its C features, so adding a constant
 * c_t to every feature of token t leaves its output unchanged: LayerNorm(x + c) = LayerNorm(x).
 * The probe adds a different constant (of order 3) to each token. Not applicable to RMSNorm, which
 * does not subtract the mean and is not shift invariant. Needs no reference implementation.
 * <p>
 * Blind spots: a norm over the wrong axis that still centres each token would pass (none does in
 * practice); a scale bug passes ({@link ScaleInvariance} sees it); so do a wrong gain or bias.
 */
public final class ShiftInvariance implements Probe {
    public static final String NAME = "shift invariance";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-4, 1e-4);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "LayerNorm(x + c) = LayerNorm(x) when c is constant over each token's features";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        if (c.norm() != ModelConfig.NormKind.LAYER_NORM) {
            return ProbeResult.notApplicable(NAME, property(), "RMSNorm does not subtract the mean, so it is not shift"
                    + " invariant (scale invariance is still checked)");
        }
        Seeded seeded = Seeded.of(manager, seed);
        Norm norm = kit.norm(c.layerParameters(seeded, "").under("input_layernorm"), c);
        return check(norm, seeded, 2, 6, c.width());
    }

    /** Compares norm(x + c) with norm(x) for x: (B, T, C) and c: (B, T, 1) drawn from {@code seeded}. */
    public static ProbeResult check(Norm norm, Seeded seeded, long batch, long tokens, long width) {
        NDArray x = seeded.normal("shift-invariance.x", 1, batch, tokens, width);
        NDArray shift = seeded.normal("shift-invariance.c", 3, batch, tokens, 1);         // one constant per token
        return new ProbeResult(NAME, "LayerNorm(x + c) must equal LayerNorm(x) for a constant c per token",
                Comparison.of(norm.forward(x.add(shift)), norm.forward(x), TOLERANCE),
                "Norm of the input with a constant added to each token", "the norm of the input",
                List.of("batch", "pos", "dim"), seeded.seed());
    }
}
