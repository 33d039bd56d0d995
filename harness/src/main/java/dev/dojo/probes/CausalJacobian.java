package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.kit.Kit;
import dev.dojo.reference.AttentionMask;
import dev.dojo.tensor.Autograd;
import dev.dojo.tensor.Seeded;

import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * Causal Jacobian: under a causal mask, the output at position i does not depend on the input at
 * any position j &gt; i, so ∂ output[i] / ∂ input[j] is exactly zero above the diagonal. The probe
 * takes one gradient per output position with autograd (a fixed random projection of that output)
 * and reports the (i, j) pairs above the diagonal that are not zero, the first one by name.
 * Needs no reference implementation.
 * <p>
 * Blind spots: like {@link Causality} it sees leaks from the future only; a dependence that autograd
 * cannot see (a path through {@code stopGradient}, or through integer ops) is invisible to it,
 * while {@link Causality}, which compares values, still sees it.
 */
public final class CausalJacobian implements Probe {
    public static final String NAME = "causal jacobian";
    private static final Tolerance TOLERANCE = Tolerance.absolute(1e-6);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "under a causal mask, ∂ output[i] / ∂ input[j] is zero for every j > i";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        Seeded seeded = Seeded.of(manager, seed);
        return check(kit.randomBlock(seeded)::forward, seeded, 6, kit.config().width());
    }

    /** The Jacobian of {@code layer} on one sequence x: (1, T, C) under a causal mask, above its diagonal. */
    public static ProbeResult check(BiFunction<NDArray, AttentionMask, NDArray> layer, Seeded seeded, int tokens,
                                    long width) {
        NDArray x = seeded.normal("causal-jacobian.x", 1, 1, tokens, width);
        NDArray projection = seeded.normal("causal-jacobian.projection", 1, width);
        float[] future = new float[tokens * tokens];                                  // (T_out, T_in), j > i only
        for (int i = 0; i < tokens; i++) {
            NDIndex output = new NDIndex(":, {}", i);
            NDArray gradient = Autograd.gradients(List.of(x),
                    in -> layer.apply(in.get(0), AttentionMask.causalOnly()).get(output).mul(projection).sum())
                    .get(0);                                                          // (1, T, C)
            float[] byInput = gradient.abs().sum(new int[] {0, 2}).toFloatArray();   // (T)
            for (int j = i + 1; j < tokens; j++) {
                future[i * tokens + j] = byInput[j];
            }
        }
        NDManager manager = x.getManager();
        NDArray actual = manager.create(future, new Shape(tokens, tokens));
        return new ProbeResult(NAME, "under a causal mask, ∂ output[i] / ∂ input[j] must be zero for every j > i",
                Comparison.of(actual, actual.zerosLike(), TOLERANCE), subject(future, tokens),
                "zero (no output depends on a later input)", List.of("output pos", "input pos"), seeded.seed());
    }

    private static String subject(float[] future, int tokens) {
        for (int i = 0; i < tokens; i++) {
            for (int j = i + 1; j < tokens; j++) {
                float g = future[i * tokens + j];
                if (!(Math.abs(g) <= TOLERANCE.absolute())) {
                    return String.format(Locale.ROOT, "Σ|∂ output[i] / ∂ input[j]| for j > i (first non-zero:"
                            + " output %d depends on input %d)", i, j);
                }
            }
        }
        return "Σ|∂ output[i] / ∂ input[j]| for j > i";
    }
}
