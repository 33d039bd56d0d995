package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.RmsNorm;

/**
 * The reference RMSNorm never multiplying by its weight: the gain is a parameter that nothing
 * uses. A known-bad variant.
 */
final class RmsNormWithoutGain extends RmsNorm {

    RmsNormWithoutGain(NDArray weight, double eps) {
        super(weight, eps);
    }

    @Override
    protected NDArray scale(NDArray normalized) {                          // normalized: (..., C)
        return normalized;                                                 // (..., C)
    }
}
