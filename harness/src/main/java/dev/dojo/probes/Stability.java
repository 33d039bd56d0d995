package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
import java.util.Map;

/**
 * Numerical stability, in three checks, each on parts of the kit:
 * <ol>
 *   <li>large logits: attention with its q and k weights scaled by 1000 (scores of order 1e6) gives
 *       finite outputs, as a softmax that subtracts the row maximum does;</li>
 *   <li>fully masked rows: a block run on a batch whose second sample is all padding (padding mask,
 *       no causal mask) gives finite outputs for every sample, as a large finite mask value does;</li>
 *   <li>float16: the block run in float16 agrees with float32 within abs 1e-2, rel 1e-2.</li>
 * </ol>
 * Needs no reference implementation. The verdict is the first check that fails. A part that
 * throws when run in float16 is not judged on check 3: it does not claim float16 support.
 * <p>
 * Blind spots: checks 1 and 2 ask only for finite values, not right ones; no bfloat16 check, since
 * converting to bfloat16 aborts DJL 0.36's PyTorch engine; one scale (1000) and one fully padded
 * sample, so an overflow that needs other magnitudes passes.
 */
public final class Stability implements Probe {
    public static final String NAME = "stability";
    private static final float LARGE = 1000f;
    private static final Tolerance FLOAT16 = Tolerance.of(1e-2, 1e-2);
    private static final Tolerance EXACT = Tolerance.absolute(1e-6);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "large logits and fully masked rows give no NaN or Inf, and float16 agrees with float32";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        Seeded seeded = Seeded.of(manager, seed);
        Parameters p = c.layerParameters(seeded, "");
        NDArray x = seeded.normal("stability.x", 1, 2, 6, c.width());

        Map<String, NDArray> sharp = new LinkedHashMap<>(p.under("self_attn").byName());
        sharp.put("q_proj.weight", sharp.get("q_proj.weight").mul(LARGE));
        sharp.put("k_proj.weight", sharp.get("k_proj.weight").mul(LARGE));
        NDArray large = kit.attention(new Parameters(sharp), c).forward(x, AttentionMask.causalOnly());
        ProbeResult logits = finite(large, "large logits (q and k weights ×" + (int) LARGE + ") must give finite"
                + " attention outputs", "Attention output with q and k weights ×" + (int) LARGE, seed);
        if (!logits.holds()) {
            return logits;
        }

        NDArray allPadding = manager.create(new float[] {1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0},
                new Shape(2, 6));                                  // sample 1 is all padding
        NDArray masked = kit.block(p, c).forward(x, AttentionMask.padding(allPadding));
        ProbeResult rows = finite(masked, "a sample that is all padding must give finite outputs",
                "Block output for a batch whose sample 1 is all padding", seed);
        if (!rows.holds()) {
            return rows;
        }

        Map<String, NDArray> half = new LinkedHashMap<>();
        p.byName().forEach((name, value) -> half.put(name, value.toType(DataType.FLOAT16, false)));
        AttentionMask mask = AttentionMask.causal(seeded.rightPadding(6, 6, 4));
        NDArray full = kit.block(p, c).forward(x, mask);
        NDArray reduced;
        try {
            reduced = kit.block(new Parameters(half), c).forward(x.toType(DataType.FLOAT16, false), mask);
        } catch (RuntimeException e) {
            // Not every part is written for float16 (a float32 mask added to half scores, say): that
            // is a missing feature, not instability, so only the two checks above decide.
            return ProbeResult.decided(NAME, property(), true, "large logits and fully masked rows are finite;"
                    + " float16 not checked, the part does not run in float16 (" + e.getClass().getSimpleName() + ")",
                    seed);
        }
        return new ProbeResult(NAME, "a block run in float16 must agree with float32 within " + FLOAT16,
                Comparison.of(reduced.toType(DataType.FLOAT32, false), full, FLOAT16), "Block output in float16",
                "the same block in float32", List.of("batch", "pos", "dim"), seed);
    }

    /** Holds when every value of {@code output} is finite; otherwise reports the first NaN or Inf. */
    private static ProbeResult finite(NDArray output, String property, String subject, long seed) {
        float[] values = output.toType(DataType.FLOAT32, false).toFloatArray();
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.isFinite(values[i]) ? values[i] : 0f;
        }
        NDArray finiteValues = output.getManager().create(values, output.getShape());
        Comparison comparison = Comparison.of(output.toType(DataType.FLOAT32, false), finiteValues, EXACT);
        return new ProbeResult(NAME, property, comparison, subject, "finite values", List.of("batch", "pos", "dim"),
                seed);
    }
}
