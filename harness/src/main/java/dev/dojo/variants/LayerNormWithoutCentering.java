package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.LayerNorm;

/** The reference LayerNorm dividing the input, not the centred input, by the standard deviation. A known-bad variant. */
final class LayerNormWithoutCentering extends LayerNorm {

    LayerNormWithoutCentering(NDArray weight, NDArray bias, double eps) {
        super(weight, bias, eps);
    }

    @Override
    protected NDArray normalize(NDArray x, NDArray mean, NDArray var) {   // x: (..., C); mean, var: (..., 1)
        return x.div(var.add(eps()).sqrt());                   // (..., C)
    }
}
