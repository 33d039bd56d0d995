package dev.dojo.drills;

import dev.dojo.kit.Kit;
import dev.dojo.reference.Norm;
import dev.dojo.reference.RmsNorm;
import dev.dojo.tensor.Seeded;

/** A drill's RMSNorm against the reference RMSNorm. */
public class RmsNormCase extends NormCase {
    private final Kit.RmsNormFactory rmsNorm;

    public RmsNormCase(DrillConfig config, long seed, Kit.RmsNormFactory rmsNorm) {
        super(config, seed);
        this.rmsNorm = rmsNorm;
    }

    @Override
    public Norm norm(Seeded seeded, long width, double eps) {
        return rmsNorm.make(seeded.normal("norm.weight", 0.1, width).add(1f), eps);
    }

    @Override
    public Norm reference(Seeded seeded, long width, double eps) {
        return new RmsNorm(seeded.normal("norm.weight", 0.1, width).add(1f), eps);
    }

    @Override
    public double eps() {
        return 1e-6;
    }

    @Override
    public String name() {
        return "RMSNorm";
    }

    @Override
    public Kit kit() {
        return referenceKit().named("drill").withRmsNorm(rmsNorm);
    }

    @Override
    public DrillPart part() {
        return DrillPart.RMS_NORM;
    }
}
