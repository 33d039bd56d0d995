package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
 * Rows sum to 1: each query's attention weights over the keys sum to 1, under a causal and padding
 * mask (and the model's sliding window, if it has one). The weights are read out of the kit's
 * attention without opening it, by linearity in V: built with its real q and k projections, every
 * value set to 1 (a v projection of zero weights and a bias of ones) and o the identity, its output
 * in head h's slice at query t is Σ_s weight[h, t, s] · 1, the row's sum. One forward pass.
 * Needs no reference implementation.
 * <p>
 * Blind spots: it sees the sums only, so weights on the wrong keys that still sum to 1 (a mask on
 * the wrong axis, an off-by-one causal mask) pass; no row is fully masked, so what such a row sums
 * to is not checked; it sees the weights as they reach the values, so an attention whose output is
 * not weights · values is not judged on its weights.
 */
public final class RowSums implements Probe {
    public static final String NAME = "rows sum to 1";
    private static final Tolerance TOLERANCE = Tolerance.absolute(1e-5);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "each query's attention weights over the keys sum to 1";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        Seeded seeded = Seeded.of(manager, seed);
        Parameters p = c.layerParameters(seeded, "").under("self_attn");
        NDArray x = seeded.normal("rows-sum.x", 1, 2, 6, c.width());
        NDArray padding = seeded.rightPadding(6, 6, 4);
        AttentionMask mask = c.window() == 0 ? AttentionMask.causal(padding)
                : AttentionMask.slidingWindow(c.window(), padding);
        return check(kit.attention(), Linear.from(p.under("q_proj")), Linear.from(p.under("k_proj")), c.heads(),
                c.kvHeads(), kit.rotary(c), x, mask, seed);
    }

    /**
     * The row sums (B, H, T) of the weights that the attention built by {@code factory} from {@code q},
     * {@code k} and {@code rope} applies to x: (B, T, C) under {@code mask}, compared with 1.
     */
    public static ProbeResult check(Kit.AttentionFactory factory, Linear q, Linear k, int heads, int kvHeads,
                                    Rotary rope, NDArray x, AttentionMask mask, long seed) {
        NDManager manager = x.getManager();
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        long width = x.getShape().get(2);
        long headSize = q.out() / heads;
        long valueWidth = kvHeads * headSize;
        Linear ones = new Linear(manager.zeros(new ai.djl.ndarray.types.Shape(valueWidth, width)),
                manager.ones(new ai.djl.ndarray.types.Shape(valueWidth)));                  // every value is 1
        Linear identity = new Linear(manager.eye(Math.toIntExact(heads * headSize)), null);  // H·D → H·D
        NDArray out = factory.make(q, k, ones, identity, heads, kvHeads, rope).forward(x, mask);   // (B, T, H·D)
        NDArray sums = out.reshape(batch, tokens, heads, headSize).get(new NDIndex(":, :, :, 0"))
                .transpose(0, 2, 1);                                                          // (B, H, T)
        return new ProbeResult(NAME, "each query's attention weights over the keys must sum to 1",
                Comparison.of(sums, sums.onesLike(), TOLERANCE),
                "Row sums of the attention weights (read out with every value set to 1)", "1",
                List.of("batch", "head", "query"), seed);
    }
}
