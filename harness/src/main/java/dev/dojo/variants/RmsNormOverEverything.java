package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Norm;

/**
 * RMSNorm whose mean square is taken over the whole tensor (no axis given), batch and tokens
 * included. A known-bad variant.
 */
final class RmsNormOverEverything implements Norm {
    private final NDArray weight;
    private final double eps;

    RmsNormOverEverything(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = eps;
    }

    @Override
    public NDArray forward(NDArray x) {                                    // x: (..., C)
        NDArray meanSquare = x.square().mean();                            // ()
        return x.div(meanSquare.add(eps).sqrt()).mul(weight);
    }
}
