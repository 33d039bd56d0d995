package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Norm;

/**
 * LayerNorm that takes its mean and variance over the sequence axis (-2) instead of the features
 * (-1). A known-bad variant.
 */
final class LayerNormOverSequence implements Norm {
    private final NDArray weight;
    private final NDArray bias;
    private final double eps;

    LayerNormOverSequence(NDArray weight, NDArray bias, double eps) {
        this.weight = weight;
        this.bias = bias;
        this.eps = eps;
    }

    @Override
    public NDArray forward(NDArray x) {                        // x: (..., T, C)
        NDArray mean = x.mean(new int[] {-2}, true);           // (..., 1, C)
        NDArray centered = x.sub(mean);                        // (..., T, C)
        NDArray var = centered.square().mean(new int[] {-2}, true);
        NDArray normalized = centered.div(var.add(eps).sqrt());
        return normalized.mul(weight).add(bias);
    }
}
