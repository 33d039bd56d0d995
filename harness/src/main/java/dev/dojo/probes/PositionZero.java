package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import dev.dojo.assertions.Comparison;
import dev.dojo.assertions.Tolerance;
import dev.dojo.tensor.Seeded;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Position zero: RoPE rotates position p by angles p·θᵢ, so at position 0 every angle is 0 and
 * the embedding is the identity. Needs no reference implementation.
 */
public final class PositionZero {
    public static final String NAME = "position zero";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-6, 1e-5);

    private PositionZero() {}

    /** {@code rope} takes x: (B, H, T, D) and a position offset; the probe applies it to one token at offset 0. */
    public static ProbeResult check(BiFunction<NDArray, Long, NDArray> rope, Seeded seeded, long batch, long heads,
                                    long headSize) {
        NDArray x = seeded.normal("position-zero.x", 1, batch, heads, 1, headSize);
        return new ProbeResult(NAME, "RoPE at position 0 must leave its input unchanged",
                Comparison.of(rope.apply(x, 0L), x, TOLERANCE), "RoPE output at position 0", "its input",
                List.of("batch", "head", "pos", "dim"), seeded.seed());
    }
}
