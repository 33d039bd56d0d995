package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import dev.dojo.tensor.Seeded;

/** (x - mean) / sqrt(var + eps) * γ + β over the last axis, as {@code torch.nn.LayerNorm}. */
public final class LayerNorm implements Norm {
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

    @Override
    public NDArray forward(NDArray x) {                        // x: (..., C)
        NDArray mean = x.mean(new int[] {-1}, true);           // (..., 1)
        NDArray centered = x.sub(mean);                        // (..., C)
        NDArray var = centered.square().mean(new int[] {-1}, true);
        NDArray normalized = centered.div(var.add(eps).sqrt());
        return normalized.mul(weight).add(bias);
    }
}
