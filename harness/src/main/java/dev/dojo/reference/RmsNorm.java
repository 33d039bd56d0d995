package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import dev.dojo.tensor.Seeded;

/** x / sqrt(mean(x²) + eps) * γ over the last axis, as Llama's RMSNorm. */
public final class RmsNorm implements Norm {
    private final NDArray weight;
    private final double eps;

    public RmsNorm(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = eps;
    }

    /** Llama's {@code weight}, with its eps 1e-6. */
    public static RmsNorm from(Parameters p) {
        return new RmsNorm(p.get("weight"), 1e-6);
    }

    /** γ near 1, drawn from the stream named {@code name}. */
    public static RmsNorm random(Seeded seeded, String name, long width) {
        return new RmsNorm(seeded.normal(name + ".weight", 0.1, width).add(1f), 1e-6);
    }

    @Override
    public NDArray forward(NDArray x) {                                    // x: (..., C)
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);        // (..., 1)
        return x.div(meanSquare.add(eps).sqrt()).mul(weight);
    }
}
