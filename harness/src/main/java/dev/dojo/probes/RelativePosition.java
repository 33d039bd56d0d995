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
 * Relative position: with RoPE, the score q_m · k_n depends only on m - n, so rotating queries
 * and keys as if every position were shifted by k leaves every score unchanged.
 * Blind spot: a bug that shifts every position by the same amount (counting from 1, say) keeps
 * relative positions and passes this probe; {@link PositionZero} sees it.
 */
public final class RelativePosition implements Probe {
    public static final String NAME = "relative position";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-4, 1e-4);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "shifting every position by the same amount leaves every RoPE attention score unchanged";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        Rotary rope = kit.rotary(kit.config());
        if (rope == null) {
            return ProbeResult.notApplicable(NAME, property(), "the model has no RoPE");
        }
        return check(rope::apply, Seeded.of(manager, seed), 2, kit.config().heads(), 6, rope.headSize(), 5);
    }

    /** Scores of rotated q and k: (B, H, T, D) at offset 0 and at offset {@code shift}. */
    public static ProbeResult check(BiFunction<NDArray, Long, NDArray> rope, Seeded seeded, long batch, long heads,
                                    long tokens, long headSize, long shift) {
        NDArray q = seeded.normal("relative-position.q", 1, batch, heads, tokens, headSize);
        NDArray k = seeded.normal("relative-position.k", 1, batch, heads, tokens, headSize);
        NDArray scores = rope.apply(q, 0L).matMul(rope.apply(k, 0L).transpose(0, 1, 3, 2));            // (B, H, T, T)
        NDArray shifted = rope.apply(q, shift).matMul(rope.apply(k, shift).transpose(0, 1, 3, 2));     // (B, H, T, T)
        return new ProbeResult(NAME, "shifting every position by " + shift + " must leave every attention score unchanged",
                Comparison.of(shifted, scores, TOLERANCE), "Scores with positions shifted by " + shift,
                "the scores unshifted", List.of("batch", "head", "query", "key"), seeded.seed());
    }
}
