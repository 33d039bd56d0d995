package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Norm;

/** LayerNorm that divides the input, not the centred input, by the standard deviation. A known-bad variant. */
final class LayerNormWithoutCentering implements Norm {
    private final NDArray weight;
    private final NDArray bias;
    private final double eps;

    LayerNormWithoutCentering(NDArray weight, NDArray bias, double eps) {
        this.weight = weight;
        this.bias = bias;
        this.eps = eps;
    }

    @Override
    public NDArray forward(NDArray x) {                        // x: (..., C)
        NDArray mean = x.mean(new int[] {-1}, true);           // (..., 1)
        NDArray centered = x.sub(mean);                        // (..., C)
        NDArray var = centered.square().mean(new int[] {-1}, true);
        NDArray normalized = x.div(var.add(eps).sqrt());
        return normalized.mul(weight).add(bias);
    }
}
