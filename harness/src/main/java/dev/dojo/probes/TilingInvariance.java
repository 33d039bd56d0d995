package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.SelfAttention;
import dev.dojo.tensor.Seeded;

import java.util.List;
import java.util.function.IntFunction;

/**
 * Tiling is invisible: the kit's tiled (FlashAttention-style) attention gives the same output at
 * every tile size. The probe runs it with one tile holding every key, which is a plain softmax, and
 * with tiles of 1, 2 and 3 keys, under a causal and padding mask (and the model's sliding window),
 * and reports the first tile size that differs. An online softmax that forgets to rescale its running
 * sum or accumulator when the maximum changes is exact with one tile and wrong with several.
 * Needs no reference implementation.
 * <p>
 * Blind spots: every side is the kit's tiled attention, so a bug that does not depend on the tile
 * (a wrong scale, a mask on the wrong axis) passes; no cache; one sequence length (6).
 */
public final class TilingInvariance implements Probe {
    public static final String NAME = "tiling invisible";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    private static final int[] TILES = {1, 2, 3};

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "tiled attention gives the same output whatever the tile size";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        Seeded seeded = Seeded.of(manager, seed);
        Parameters p = c.layerParameters(seeded, "").under("self_attn");
        NDArray x = seeded.normal("tiling.x", 1, 2, 6, c.width());
        NDArray padding = seeded.rightPadding(6, 6, 4);
        AttentionMask mask = c.window() == 0 ? AttentionMask.causal(padding)
                : AttentionMask.slidingWindow(c.window(), padding);
        return check(tile -> kit.tiledAttention(p, c, tile), x, mask, seed);
    }

    /** Runs {@code tiled} at each tile size of 1, 2, 3 on x: (B, T, C) and compares it with one tile of T keys. */
    public static ProbeResult check(IntFunction<SelfAttention> tiled, NDArray x, AttentionMask mask, long seed) {
        int tokens = Math.toIntExact(x.getShape().get(1));
        NDArray whole = tiled.apply(tokens).forward(x, mask);                                    // (B, T, C)
        ProbeResult result = null;
        for (int tile : TILES) {
            result = new ProbeResult(NAME, "tiled attention must give the same output with " + tile + " key"
                    + (tile == 1 ? "" : "s") + " per tile as with one tile of all " + tokens,
                    Comparison.of(tiled.apply(tile).forward(x, mask), whole, TOLERANCE),
                    "Tiled attention output, " + tile + " key" + (tile == 1 ? "" : "s") + " per tile",
                    "one tile of all " + tokens + " keys", List.of("batch", "pos", "dim"), seed);
            if (!result.holds()) {
                return result;
            }
        }
        return result;
    }
}
