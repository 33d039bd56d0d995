package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import dev.dojo.tensor.Seeded;

/**
 * (x - mean) / sqrt(var + eps) * γ + β over the last axis, as {@code torch.nn.LayerNorm}. C features.
 * Each step is a method of its own, which a subclass may override.
 */
public class LayerNorm implements Norm {
    private final NDArray weight;
    private final NDArray bias;
    private final double eps;

    public LayerNorm(NDArray weight, NDArray bias, double eps) {
        this.weight = weight;
        this.bias = bias;
        this.eps = eps;
    }

    /** {@code torch.nn.LayerNorm}'s {@code weight} and {@code bias}, with its default eps 1e-5. */
    public static LayerNorm from(Parameters p) {
        return new LayerNorm(p.get("weight"), p.get("bias"), 1e-5);
    }

    /** γ near 1 and β near 0, drawn from the streams named {@code name}. */
    public static LayerNorm random(Seeded seeded, String name, long width) {
        NDArray w = seeded.normal(name + ".weight", 0.1, width).add(1f);
        return new LayerNorm(w, seeded.normal(name + ".bias", 0.1, width), 1e-5);
    }

    /** ε, added to the variance under the square root. */
    public double eps() {
        return eps;
    }

    @Override
    public final NDArray forward(NDArray x) {                  // x: (..., C)
        NDArray mean = mean(x);                                // (..., 1)
        NDArray var = mean(x.sub(mean).square());              // (..., 1)
        NDArray normalized = normalize(x, mean, var);          // (..., C)
        return normalized.mul(weight).add(bias);               // (..., C)
    }

    /** The mean over the features, the last axis, kept as an axis of size 1: (..., 1). */
    protected NDArray mean(NDArray x) {                        // x: (..., C)
        return x.mean(new int[] {-1}, true);                   // (..., 1)
    }

    /** (x - mean) / sqrt(var + eps): (..., C). */
    protected NDArray normalize(NDArray x, NDArray mean, NDArray var) {   // x: (..., C); mean, var: (..., 1)
        return x.sub(mean).div(var.add(eps).sqrt());          // (..., C)
    }
}
