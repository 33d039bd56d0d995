package dev.dojo.drills;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.kit.Kit;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.Rotary;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;

import java.util.List;

/** A drill's RoPE against the reference RoPE: queries q: (B, H, T, D) rotated from position 0. */
public class RotaryCase extends PartCase {
    /** The base of RoPE's frequencies, as the models' kits use. */
    public static final double THETA = 10_000;

    /** Makes a RoPE for head size D, base θ and a pairing: the drill's constructor. */
    public interface RotaryMaker {
        Rotary make(int headSize, double theta, RopePairing pairing);
    }

    private final RotaryMaker rotary;

    public RotaryCase(DrillConfig config, long seed, RotaryMaker rotary) {
        super(config, seed);
        this.rotary = rotary;
    }

    /** The drill's RoPE for head size {@code headSize}, pairing as the drill's model does. */
    public Rotary rotary(int headSize) {
        return rotary.make(headSize, THETA, config().pairing());
    }

    /** The reference RoPE for head size {@code headSize}. */
    public Rotary reference(int headSize) {
        return new RotaryEmbedding(headSize, THETA, config().pairing());
    }

    @Override
    public Kit kit() {
        return referenceKit().named("drill").withRotary((headSize, theta) -> rotary.make(headSize, theta,
                config().pairing()));
    }

    @Override
    public DrillPart part() {
        return DrillPart.ROTARY;
    }

    @Override
    public Outputs run(NDManager manager, long seed) {
        int headSize = config().model().headSize();
        NDArray q = Seeded.of(manager, seed).normal("q", 1, DrillConfig.BATCH, config().model().heads(),
                DrillConfig.TOKENS, headSize);                                                   // (B, H, T, D)
        return new Outputs(rotary(headSize).apply(q, 0), reference(headSize).apply(q, 0), "Rotated queries",
                "the reference RoPE", List.of("batch", "head", "pos", "dim"));
    }
}
