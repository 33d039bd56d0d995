package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.RmsNorm;

/**
 * The reference RMSNorm taking its mean square over the whole tensor (no axis given), batch and
 * tokens included. A known-bad variant.
 */
final class RmsNormOverEverything extends RmsNorm {

    RmsNormOverEverything(NDArray weight, double eps) {
        super(weight, eps);
    }

    @Override
    protected NDArray meanSquare(NDArray x) {                              // x: (..., C)
        return x.square().mean();                                          // (..., 1)
    }
}
