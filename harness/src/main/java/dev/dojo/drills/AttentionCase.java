package dev.dojo.drills;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.Parameters;
import dev.dojo.tensor.Seeded;

import java.util.List;

/** A drill's attention against the reference attention: one layer's weights, x: (B, T, C), the drill's mask layout. */
public class AttentionCase extends PartCase {
    private final Kit.AttentionFactory attention;

    /** {@code attention} makes the drill's attention from q, k, v, o projections, head counts and RoPE. */
    public AttentionCase(DrillConfig config, long seed, Kit.AttentionFactory attention) {
        super(config, seed);
        this.attention = attention;
    }

    @Override
    public Kit kit() {
        return referenceKit().named("drill").withAttention(attention);
    }

    @Override
    public DrillPart part() {
        return DrillPart.ATTENTION;
    }

    /** The weights of the drill's attention (and the reference's): {@code q_proj}, {@code k_proj}, … */
    public Parameters weights(Seeded seeded) {
        return config().model().layerParameters(seeded, "").under("self_attn");
    }

    @Override
    public Outputs run(NDManager manager, long seed) {
        ModelConfig c = config().model();
        Seeded seeded = Seeded.of(manager, seed);
        Parameters p = weights(seeded);
        NDArray x = seeded.normal("x", 1, DrillConfig.BATCH, DrillConfig.TOKENS, c.width());          // (B, T, C)
        NDArray padding = config().layout().padding(seeded, DrillConfig.BATCH, DrillConfig.TOKENS);    // (B, T) or null
        NDArray actual = kit().attention(p, c).forward(x, config().layout().mask(padding));
        NDArray expected = referenceKit().attention(p, c).forward(x, config().layout().mask(padding));
        return new Outputs(MaskLayout.realTokens(actual, padding), MaskLayout.realTokens(expected, padding),
                "Attention output with " + config().layout(), "the reference attention", List.of("batch", "pos", "dim"));
    }
}
