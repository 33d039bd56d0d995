package dev.dojo.drills;

import dev.dojo.compare.Tolerance;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kit.Kit;
import dev.dojo.tensor.Seeded;

/**
 * A drill's golden case: its part against the harness's reference part (held to PyTorch by the
 * golden-model tests), in the drill's model, on inputs drawn from the drill's seed. Its kit puts the
 * part into the reference model, so every probe that applies runs on it, as on a kata's.
 */
public abstract class PartCase implements GoldenCase {
    /** What the drills' tests and cases assert: float32 noise passes, a planted bug is far beyond. */
    public static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);

    private final DrillConfig config;
    private final long seed;

    protected PartCase(DrillConfig config, long seed) {
        this.config = config;
        this.seed = seed;
    }

    public DrillConfig config() {
        return config;
    }

    /** The drill's seed, unless {@code ./kata drill test --seed N} chose another. */
    @Override
    public long seed() {
        return Seeded.chosen(seed);
    }

    @Override
    public Tolerance tolerance() {
        return TOLERANCE;
    }

    /** The reference parts in the drill's model, RoPE pairing coordinates as the drill's does. */
    @Override
    public Kit referenceKit() {
        return Kit.reference(config.model(), config.pairing()).named("reference");
    }

    /** The reference kit with the drill's part in place. */
    @Override
    public abstract Kit kit();

    /** Which reference part the drill is. */
    public abstract DrillPart part();
}
