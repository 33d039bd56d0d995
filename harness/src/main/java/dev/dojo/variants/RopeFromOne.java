package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;

/** The half-split reference RoPE with positions counted from 1. A known-bad variant. */
final class RopeFromOne extends RotaryEmbedding {

    RopeFromOne(int headSize, double theta) {
        super(headSize, theta, RopePairing.HALF_SPLIT);
    }

    @Override
    protected NDArray positions(NDManager manager, long offset, long tokens) {
        return manager.arange(offset + 1, offset + 1 + tokens).toType(DataType.FLOAT32, false);  // (T)
    }
}
