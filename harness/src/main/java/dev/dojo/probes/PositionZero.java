package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Rotary;
import dev.dojo.kit.Kit;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.tensor.Seeded;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Position zero: RoPE rotates position p by angles p·θᵢ, so at position 0 every angle is 0 and
 * the embedding is the identity. Needs no reference implementation.
 */
public final class PositionZero implements Probe {
    public static final String NAME = "position zero";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-6, 1e-5);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "RoPE at position 0 leaves its input unchanged";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        Rotary rope = kit.rotary(kit.config());
        if (rope == null) {
            return ProbeResult.notApplicable(NAME, property(), "the model has no RoPE");
        }
        return check(rope::apply, Seeded.of(manager, seed), 2, kit.config().heads(), rope.headSize());
    }

    /** {@code rope} takes x: (B, H, T, D) and a position offset; the probe applies it to one token at offset 0. */
    public static ProbeResult check(BiFunction<NDArray, Long, NDArray> rope, Seeded seeded, long batch, long heads,
                                    long headSize) {
        NDArray x = seeded.normal("position-zero.x", 1, batch, heads, 1, headSize);
        return new ProbeResult(NAME, "RoPE at position 0 must leave its input unchanged",
                Comparison.of(rope.apply(x, 0L), x, TOLERANCE), "RoPE output at position 0", "its input",
                List.of("batch", "head", "pos", "dim"), seeded.seed());
    }
}
