package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
 * Grouped-query consistency: attention with H_kv KV heads equals multi-head attention whose k and
 * v weights hold each KV head's rows copied to the G = H / H_kv query heads of its group (query
 * head h reads KV head h / G). The probe checks the kit's configuration, then multi-query
 * attention (H_kv = 1) likewise, both against the kit's own attention with H_kv = H.
 * Not applicable when the kit's configuration has H_kv = H.
 * <p>
 * Blind spots: both sides are the kit's attention, so a bug that does not depend on H_kv passes;
 * with H_kv = 1 every grouping rule agrees, so only the configuration's own H_kv sees a wrong one.
 */
public final class GroupedQueryConsistency implements Probe {
    public static final String NAME = "gqa consistency";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "grouped-query attention equals multi-head attention with each KV head's k/v weights copied to its"
                + " group";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        if (c.kvHeads() == c.heads()) {
            return ProbeResult.notApplicable(NAME, property(), "the model has as many KV heads as query heads");
        }
        Seeded seeded = Seeded.of(manager, seed);
        NDArray x = seeded.normal("gqa-consistency.x", 1, 2, 6, c.width());
        ProbeResult grouped = compare(kit, c, c.layerParameters(seeded, "").under("self_attn"), x, seeded.seed());
        if (!grouped.holds() || c.kvHeads() == 1) {
            return grouped;
        }
        ModelConfig mqa = c.withKvHeads(1);
        return compare(kit, mqa, mqa.layerParameters(seeded, "").under("self_attn"), x, seeded.seed());
    }

    private static ProbeResult compare(Kit kit, ModelConfig c, Parameters p, NDArray x, long seed) {
        int group = c.heads() / c.kvHeads();
        Map<String, NDArray> copied = new LinkedHashMap<>(p.byName());
        copied.put("k_proj.weight", copyToGroups(p.get("k_proj.weight"), c.kvHeads(), group));
        copied.put("v_proj.weight", copyToGroups(p.get("v_proj.weight"), c.kvHeads(), group));
        NDArray grouped = kit.attention(p, c).forward(x, AttentionMask.none());
        NDArray multiHead = kit.attention(new Parameters(copied), c.withKvHeads(c.heads()))
                .forward(x, AttentionMask.none());
        String kind = c.kvHeads() == 1 ? "multi-query attention (H_kv = 1)"
                : "grouped-query attention (H_kv = " + c.kvHeads() + ", H = " + c.heads() + ")";
        return new ProbeResult(NAME, kind + " must equal multi-head attention with each KV head's k/v weights copied"
                + " to the query heads of its group", Comparison.of(grouped, multiHead, TOLERANCE),
                "Output of " + kind, "multi-head attention with KV head h / " + group + " copied to query head h",
                List.of("batch", "pos", "dim"), seed);
    }

    /** (H_kv·D, C) → (H·D, C): each KV head's D rows repeated G times in place (repeat_interleave). */
    private static NDArray copyToGroups(NDArray weight, int kvHeads, int group) {
        long columns = weight.getShape().get(1);
        return weight.reshape(kvHeads, -1, columns).repeat(0, group).reshape(-1, columns);
    }
}
