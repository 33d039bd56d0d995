package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Norm;

/** RMSNorm that divides by the mean square instead of its square root. A known-bad variant. */
final class RmsNormWithoutSqrt implements Norm {
    private final NDArray weight;
    private final double eps;

    RmsNormWithoutSqrt(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = eps;
    }

    @Override
    public NDArray forward(NDArray x) {                                    // x: (..., C)
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);        // (..., 1)
        return x.div(meanSquare.add(eps)).mul(weight);
    }
}
