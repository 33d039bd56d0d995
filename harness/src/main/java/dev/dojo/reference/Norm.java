package dev.dojo.reference;

import ai.djl.ndarray.NDArray;

/** A normalization over the last axis: LayerNorm or RMSNorm. */
public interface Norm {
    NDArray forward(NDArray x);
}
