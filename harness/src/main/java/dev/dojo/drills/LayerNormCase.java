package dev.dojo.drills;

import dev.dojo.kit.Kit;
import dev.dojo.reference.LayerNorm;
import dev.dojo.reference.Norm;
import dev.dojo.tensor.Seeded;

/** A drill's LayerNorm against the reference LayerNorm. */
public class LayerNormCase extends NormCase {
    private final Kit.LayerNormFactory layerNorm;

    public LayerNormCase(DrillConfig config, long seed, Kit.LayerNormFactory layerNorm) {
        super(config, seed);
        this.layerNorm = layerNorm;
    }

    @Override
    public Norm norm(Seeded seeded, long width, double eps) {
        return layerNorm.make(gain(seeded, width), bias(seeded, width), eps);
    }

    @Override
    public Norm reference(Seeded seeded, long width, double eps) {
        return new LayerNorm(gain(seeded, width), bias(seeded, width), eps);
    }

    private static ai.djl.ndarray.NDArray gain(Seeded seeded, long width) {
        return seeded.normal("norm.weight", 0.1, width).add(1f);
    }

    private static ai.djl.ndarray.NDArray bias(Seeded seeded, long width) {
        return seeded.normal("norm.bias", 0.1, width);
    }

    @Override
    public double eps() {
        return 1e-5;
    }

    @Override
    public String name() {
        return "LayerNorm";
    }

    @Override
    public Kit kit() {
        return referenceKit().named("drill").withLayerNorm(layerNorm);
    }

    @Override
    public DrillPart part() {
        return DrillPart.LAYER_NORM;
    }
}
