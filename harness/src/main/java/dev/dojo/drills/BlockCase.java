package dev.dojo.drills;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.Parameters;
import dev.dojo.tensor.Seeded;

import java.util.List;

/** A drill's block against the reference block: one layer's weights, x: (B, T, C), the drill's mask layout. */
public class BlockCase extends PartCase {
    private final Kit.BlockFactory block;

    public BlockCase(DrillConfig config, long seed, Kit.BlockFactory block) {
        super(config, seed);
        this.block = block;
    }

    @Override
    public Kit kit() {
        return referenceKit().named("drill").withBlock(block);
    }

    @Override
    public DrillPart part() {
        return DrillPart.BLOCK;
    }

    /** One block's weights, named as {@link ModelConfig#layerParameters} names them. */
    public Parameters weights(Seeded seeded) {
        return config().model().layerParameters(seeded, "");
    }

    @Override
    public Outputs run(NDManager manager, long seed) {
        ModelConfig c = config().model();
        Seeded seeded = Seeded.of(manager, seed);
        Parameters p = weights(seeded);
        NDArray x = seeded.normal("x", 1, DrillConfig.BATCH, DrillConfig.TOKENS, c.width());          // (B, T, C)
        NDArray padding = config().layout().padding(seeded, DrillConfig.BATCH, DrillConfig.TOKENS);    // (B, T) or null
        NDArray actual = kit().block(p, c).forward(x, config().layout().mask(padding));
        NDArray expected = referenceKit().block(p, c).forward(x, config().layout().mask(padding));
        return new Outputs(MaskLayout.realTokens(actual, padding), MaskLayout.realTokens(expected, padding),
                "Block output with " + config().layout(), "the reference block", List.of("batch", "pos", "dim"));
    }
}
