package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import dev.dojo.tensor.Seeded;

/**
 * x / sqrt(mean(x²) + eps) * γ over the last axis, as Llama's RMSNorm. C features.
 * Each step is a method of its own, which a subclass may override.
 */
public class RmsNorm implements Norm {
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

    /** ε, added to the mean square under the square root. */
    public double eps() {
        return eps;
    }

    @Override
    public final NDArray forward(NDArray x) {                              // x: (..., C)
        NDArray meanSquare = meanSquare(x);                                // (..., 1)
        NDArray normalized = x.div(rms(meanSquare));                       // (..., C)
        return scale(normalized);                                          // (..., C)
    }

    /** mean(x²) over the features, the last axis, kept as an axis of size 1: (..., 1). */
    protected NDArray meanSquare(NDArray x) {                              // x: (..., C)
        return x.square().mean(new int[] {-1}, true);                      // (..., 1)
    }

    /** The root mean square, sqrt(mean(x²) + eps): (..., 1). */
    protected NDArray rms(NDArray meanSquare) {                            // meanSquare: (..., 1)
        return meanSquare.add(eps).sqrt();                                 // (..., 1)
    }

    /** The learned gain: normalized · γ. */
    protected NDArray scale(NDArray normalized) {                          // normalized: (..., C)
        return normalized.mul(weight);                                     // (..., C)
    }
}
