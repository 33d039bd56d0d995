package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.kit.Kit;
import dev.dojo.reference.AttentionMask;
import dev.dojo.tensor.Seeded;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Causality: under a causal mask, changing token t leaves every output before t unchanged. The
 * probe runs a block of the kit on a sequence, redraws the token in the middle and compares the
 * outputs before it. Needs no reference implementation.
 * <p>
 * Blind spots: it sees leaks from the future only, so a mask that hides too much (a query that
 * cannot see itself, or sees nothing) passes; it changes one token, so a leak that only reaches
 * positions far ahead of t could hide; it uses no padding mask.
 */
public final class Causality implements Probe {
    public static final String NAME = "causality";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-6, 1e-5);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "under a causal mask, changing token t leaves every output before t unchanged";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        Seeded seeded = Seeded.of(manager, seed);
        return check(kit.randomBlock(seeded)::forward, seeded, 2, 8, kit.config().width(), 4);
    }

    /** Runs {@code layer} on x: (B, T, C) and on x with token {@code changed} redrawn, both under a causal mask. */
    public static ProbeResult check(BiFunction<NDArray, AttentionMask, NDArray> layer, Seeded seeded, long batch,
                                    long tokens, long width, long changed) {
        return check(NAME, "under a causal mask", layer, seeded, batch, tokens, width, changed);
    }

    /**
     * As {@link #check(BiFunction, Seeded, long, long, long, long)}, its verdict under the probe name
     * {@code name}, the property opening with {@code condition} ("under a causal mask").
     */
    static ProbeResult check(String name, String condition, BiFunction<NDArray, AttentionMask, NDArray> layer,
                             Seeded seeded, long batch, long tokens, long width, long changed) {
        NDArray x = seeded.normal("causality.x", 1, batch, tokens, width);
        NDArray token = seeded.normal("causality.token", 1, batch, 1, width);
        NDArray edited = x.get(new NDIndex(":, :{}", changed)).concat(token, 1)
                .concat(x.get(new NDIndex(":, {}:", changed + 1)), 1);                  // (B, T, C)
        NDIndex before = new NDIndex(":, :{}", changed);
        NDArray expected = layer.apply(x, AttentionMask.causalOnly()).get(before);     // (B, t, C)
        NDArray actual = layer.apply(edited, AttentionMask.causalOnly()).get(before);  // (B, t, C)
        return new ProbeResult(name, condition + ", changing token " + changed + " must leave every output"
                + " before it unchanged", Comparison.of(actual, expected, TOLERANCE),
                "Outputs before token " + changed + " with token " + changed + " changed", "the same outputs before",
                List.of("batch", "pos", "dim"), seeded.seed());
    }
}
