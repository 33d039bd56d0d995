package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.RmsNorm;

/** The reference RMSNorm dividing by the mean square instead of its square root. A known-bad variant. */
final class RmsNormWithoutSqrt extends RmsNorm {

    RmsNormWithoutSqrt(NDArray weight, double eps) {
        super(weight, eps);
    }

    @Override
    protected NDArray rms(NDArray meanSquare) {                            // meanSquare: (..., 1)
        return meanSquare.add(eps());                                      // (..., 1)
    }
}
