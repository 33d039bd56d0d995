package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Parameters;
import dev.dojo.tensor.Seeded;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Head independence: with the output projection set to the identity, query head h writes only
 * output slice [h·D, (h+1)·D). So perturbing the q_proj rows of head h changes that slice and no
 * other; perturbing the k_proj or v_proj rows of KV head g changes exactly the slices of the
 * query heads that share it, g·G … (g+1)·G - 1 with G = H / H_kv (repeat_interleave grouping).
 * The probe perturbs every head of each projection in turn. Needs no reference implementation.
 * <p>
 * Blind spots: it sees how heads are split, grouped and merged, not what a head computes, so a
 * wrong scale or mask passes; it uses the kit's attention without a mask.
 */
public final class HeadIndependence implements Probe {
    public static final String NAME = "head independence";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-6, 1e-5);
    /** A perturbation must move its own slice by more than this, or it did nothing. */
    private static final double NOTICEABLE = 1e-4;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "with o_proj the identity, perturbing head h's q/k/v rows changes only the output slices of the"
                + " query heads it feeds";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        Seeded seeded = Seeded.of(manager, seed);
        Map<String, NDArray> p = new LinkedHashMap<>(c.layerParameters(seeded, "").under("self_attn").byName());
        p.put("o_proj.weight", manager.eye(c.width()));
        NDArray x = seeded.normal("head-independence.x", 1, 2, 6, c.width());
        NDArray base = kit.attention(new Parameters(p), c).forward(x, AttentionMask.none());   // (B, T, C)
        int group = c.heads() / c.kvHeads();
        ProbeResult last = null;
        for (String projection : List.of("q_proj", "k_proj", "v_proj")) {
            boolean query = projection.equals("q_proj");
            int heads = query ? c.heads() : c.kvHeads();
            for (int h = 0; h < heads; h++) {
                Map<String, NDArray> perturbed = new LinkedHashMap<>(p);
                perturbed.put(projection + ".weight", perturbRows(seeded, p.get(projection + ".weight"), h,
                        c.headSize(), projection));
                NDArray y = kit.attention(new Parameters(perturbed), c).forward(x, AttentionMask.none());
                long from = (long) (query ? h : h * group) * c.headSize();
                long to = from + (long) (query ? 1 : group) * c.headSize();
                last = compare(y, base, c.heads(), from, to, projection, h, query, seeded.seed());
                if (!last.holds()) {
                    return last;
                }
            }
        }
        return last;
    }

    /** The weight with rows [h·D, (h+1)·D) moved by standard-normal noise. */
    private static NDArray perturbRows(Seeded seeded, NDArray weight, int h, int headSize, String projection) {
        long rows = weight.getShape().get(0);
        long columns = weight.getShape().get(1);
        NDArray noise = seeded.normal("head-independence." + projection + "." + h, 1, headSize, columns);
        NDArray zerosBefore = weight.getManager().zeros(new Shape((long) h * headSize, columns));
        NDArray zerosAfter = weight.getManager().zeros(new Shape(rows - (long) (h + 1) * headSize,
                columns));
        return weight.add(zerosBefore.concat(noise, 0).concat(zerosAfter, 0));
    }

    /** y and base: (B, T, C), with o_proj the identity, so slice [h·D, (h+1)·D) is query head h's output. */
    private static ProbeResult compare(NDArray y, NDArray base, int heads, long from, long to, String projection, int h,
                                       boolean query, long seed) {
        long width = y.getShape().get(2);
        float[] inside = new float[Math.toIntExact(width)];
        for (long d = from; d < to; d++) {
            inside[Math.toIntExact(d)] = 1f;
        }
        NDArray own = y.getManager().create(inside);                                 // (C): 1 in the slice
        NDArray demanded = y.mul(own).add(base.mul(own.neg().add(1f)));              // changed only in the slice
        String head = (query ? "head " : "KV head ") + h;
        long headSize = width / heads;
        String slice = from / headSize == to / headSize - 1
                ? String.format(Locale.ROOT, "query head %d's slice [%d, %d)", from / headSize, from, to)
                : String.format(Locale.ROOT, "query heads %d–%d's slice [%d, %d)", from / headSize, to / headSize - 1,
                        from, to);
        String property = "with o_proj the identity, perturbing " + projection + " rows of " + head
                + " must change only " + slice;
        float moved = y.sub(base).mul(own).abs().max().getFloat();
        if (Float.isFinite(moved) && moved <= NOTICEABLE) {
            return ProbeResult.decided(NAME, property, false, "perturbing " + projection + " rows of " + head
                    + " did not change " + slice + " (largest change " + moved + ")", seed);
        }
        Shape byHead = new Shape(y.getShape().get(0), y.getShape().get(1), heads, headSize);   // (B, T, H, D)
        return new ProbeResult(NAME, property, Comparison.of(y.reshape(byHead), demanded.reshape(byHead), TOLERANCE),
                "Output with " + projection + " rows of " + head + " perturbed",
                "the output before, outside " + slice, List.of("batch", "pos", "head", "dim"), seed);
    }
}
