package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.Rotary;
import dev.dojo.tensor.Seeded;

import java.util.List;

/**
 * A window of W sees exactly W keys: under a sliding window of W, query i gives weight to keys
 * i-W+1 … i and to no other (to keys 0 … i while i < W-1). The weights are read out of the kit's
 * attention without opening it, by linearity in V: its input carries a one-hot code of each token's
 * position in its last T features, the v projection picks D of those codes per run, and o is the
 * identity, so head h's output at query t holds its weights on D keys; ⌈T / D⌉ runs read them all.
 * A key counts as seen when its weight exceeds 1e-7. Not applicable when the model has no sliding
 * window. Needs no reference implementation.
 * <p>
 * Blind spots: it checks which keys are seen, not how much weight each gets; one window (the model's)
 * and one length, T = min(2W + 2, C / 2); no padding and no cache (the rolling-buffer probe decodes).
 */
public final class SlidingWindow implements Probe {
    public static final String NAME = "sliding window";
    private static final double SEEN = 1e-7;
    private static final Tolerance EXACT = Tolerance.absolute(0.5);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "under a sliding window of W, query i attends to keys i-W+1..i and to no other";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        if (c.window() == 0) {
            return ProbeResult.notApplicable(NAME, property(), "the model has no sliding window");
        }
        Seeded seeded = Seeded.of(manager, seed);
        Parameters p = c.layerParameters(seeded, "").under("self_attn");
        long tokens = Math.min(2L * c.window() + 2, c.width() / 2);
        return check(kit.attention(), Linear.from(p.under("q_proj")), Linear.from(p.under("k_proj")), c.heads(),
                c.kvHeads(), kit.rotary(c), c.window(), seeded, 2, tokens, c.width());
    }

    /**
     * Reads which keys each query of the attention built by {@code factory} sees under a sliding
     * window of {@code window}, on a random x: (B, T, C) with T ≤ C - 1, and compares them with i-W+1..i.
     */
    public static ProbeResult check(Kit.AttentionFactory factory, Linear q, Linear k, int heads, int kvHeads,
                                    Rotary rope, int window, Seeded seeded, long batch, long tokens, long width) {
        if (tokens >= width) {
            throw new IllegalArgumentException("the window probe codes each token's position in the input, so the"
                    + " tokens (" + tokens + ") must be fewer than the model width (" + width + ")");
        }
        NDManager manager = seeded.manager();
        NDArray codes = manager.eye(Math.toIntExact(tokens)).broadcast(new Shape(batch, tokens, tokens));
        NDArray x = seeded.normal("sliding-window.x", 1, batch, tokens, width - tokens).concat(codes, -1); // (B, T, C)
        NDArray weights = weights(factory, q, k, heads, kvHeads, rope, x, AttentionMask.slidingWindow(window));
        NDArray seen = weights.gt(SEEN).toType(DataType.FLOAT32, false);                            // (B, H, T, T)
        NDArray allowed = AttentionMask.slidingWindow(window).bias(manager, tokens, tokens, 0).eq(0)
                .toType(DataType.FLOAT32, false).broadcast(seen.getShape());                       // (B, H, T, T)
        return new ProbeResult(NAME, "under a sliding window of " + window + ", query i must attend to keys i-"
                + (window - 1) + "..i and to no other", Comparison.of(seen, allowed, EXACT),
                "Keys each query gives weight to (1 = seen)", "the window's keys", List.of("batch", "head", "query",
                "key"), seeded.seed());
    }

    /** The weights (B, H, T, T), D keys per run: v picks the position codes of keys c·D … c·D + D - 1. */
    private static NDArray weights(Kit.AttentionFactory factory, Linear q, Linear k, int heads, int kvHeads,
                                   Rotary rope, NDArray x, AttentionMask mask) {
        NDManager manager = x.getManager();
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        long width = x.getShape().get(2);
        int headSize = Math.toIntExact(q.out() / heads);
        Linear identity = new Linear(manager.eye(heads * headSize), null);                          // H·D → H·D
        NDList chunks = new NDList();
        for (long first = 0; first < tokens; first += headSize) {
            long count = Math.min(headSize, tokens - first);
            float[] pick = new float[Math.toIntExact(kvHeads * headSize * width)];
            for (int g = 0; g < kvHeads; g++) {
                for (int d = 0; d < count; d++) {
                    pick[Math.toIntExact((g * headSize + d) * width + (width - tokens) + first + d)] = 1;
                }
            }
            Linear v = new Linear(manager.create(pick, new Shape((long) kvHeads * headSize, width)), null);
            NDArray out = factory.make(q, k, v, identity, heads, kvHeads, rope).forward(x, mask);     // (B, T, H·D)
            chunks.add(out.reshape(batch, tokens, heads, headSize).transpose(0, 2, 1, 3)
                    .get(new NDIndex(":, :, :, :{}", count)));                                      // (B, H, T, count)
        }
        return NDArrays.concat(chunks, -1);                                                         // (B, H, T, T)
    }
}
