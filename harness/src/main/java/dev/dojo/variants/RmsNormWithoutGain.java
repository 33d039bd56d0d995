package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Norm;

/** RMSNorm that never multiplies by its weight: the gain is a parameter that nothing uses. A known-bad variant. */
final class RmsNormWithoutGain implements Norm {
    private final NDArray weight;
    private final double eps;

    RmsNormWithoutGain(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = eps;
    }

    @Override
    public NDArray forward(NDArray x) {                                    // x: (..., C)
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);        // (..., 1)
        return x.div(meanSquare.add(eps).sqrt());
    }
}
