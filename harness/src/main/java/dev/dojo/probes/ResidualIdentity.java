package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import dev.dojo.assertions.Comparison;
import dev.dojo.assertions.Tolerance;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Block;
import dev.dojo.reference.Norm;
import dev.dojo.tensor.Seeded;

import java.util.List;

/**
 * Residual identity: with every sublayer's output projection zeroed, each sublayer adds nothing,
 * so a pre-norm block returns its input and a post-norm block returns norm2(norm1(x)).
 * Needs no reference implementation.
 */
public final class ResidualIdentity {
    public static final String NAME = "residual identity";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-6, 1e-5);

    private ResidualIdentity() {}

    /** {@code zeroed} is the block under test built with zeroed sublayer outputs; x is drawn from {@code seeded}. */
    public static ProbeResult preNorm(Block zeroed, Seeded seeded, long batch, long tokens, long width) {
        NDArray x = seeded.normal("residual-identity.x", 1, batch, tokens, width);
        NDArray y = zeroed.forward(x, AttentionMask.none());
        return new ProbeResult(NAME, "with its sublayers' output projections zeroed, a pre-norm block must return"
                + " its input unchanged", Comparison.of(y, x, TOLERANCE), "Block output", "the block's input",
                List.of("batch", "pos", "dim"), seeded.seed());
    }

    /** As {@link #preNorm}, for a post-norm block with norms {@code norm1} and {@code norm2}. */
    public static ProbeResult postNorm(Block zeroed, Norm norm1, Norm norm2, Seeded seeded, long batch, long tokens,
                                       long width) {
        NDArray x = seeded.normal("residual-identity.x", 1, batch, tokens, width);
        NDArray y = zeroed.forward(x, AttentionMask.none());
        return new ProbeResult(NAME, "with its sublayers' output projections zeroed, a post-norm block must return"
                + " norm2(norm1(x))", Comparison.of(y, norm2.forward(norm1.forward(x)), TOLERANCE), "Block output",
                "norm2(norm1(input))", List.of("batch", "pos", "dim"), seeded.seed());
    }
}
