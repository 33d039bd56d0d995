package dev.dojo.drills;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.reference.Norm;
import dev.dojo.tensor.Seeded;

import java.util.List;

/** A drill's norm against the reference norm of its kind: x: (B, T, C), off centre and not of unit scale. */
public abstract class NormCase extends PartCase {

    protected NormCase(DrillConfig config, long seed) {
        super(config, seed);
    }

    /** The drill's norm over {@code width} features, with gains (and biases) drawn from {@code seeded}, and {@code eps}. */
    public abstract Norm norm(Seeded seeded, long width, double eps);

    /** The reference norm with the same parameters. */
    public abstract Norm reference(Seeded seeded, long width, double eps);

    /** The reference's ε for this kind of norm. */
    public abstract double eps();

    /** The norm's name in reports: "LayerNorm". */
    public abstract String name();

    /** Inputs of {@code shape} drawn from {@code seeded}: std 1.5 around 0.3, as activations are rarely centred. */
    public static NDArray input(Seeded seeded, String name, long... shape) {
        return seeded.normal(name, 1.5, shape).add(0.3f);
    }

    @Override
    public Outputs run(NDManager manager, long seed) {
        Seeded seeded = Seeded.of(manager, seed);
        long width = config().model().width();
        NDArray x = input(seeded, "x", DrillConfig.BATCH, DrillConfig.TOKENS, width);            // (B, T, C)
        return new Outputs(norm(seeded, width, eps()).forward(x), reference(seeded, width, eps()).forward(x),
                name() + " output", "the reference " + name(), List.of("batch", "pos", "dim"));
    }
}
