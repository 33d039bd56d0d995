package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.LayerNorm;

/**
 * The reference LayerNorm taking its mean and variance over the sequence axis (-2) instead of the
 * features (-1). A known-bad variant.
 */
final class LayerNormOverSequence extends LayerNorm {

    LayerNormOverSequence(NDArray weight, NDArray bias, double eps) {
        super(weight, bias, eps);
    }

    @Override
    protected NDArray mean(NDArray x) {                        // x: (..., T, C)
        return x.mean(new int[] {-2}, true);                   // (..., 1)
    }
}
