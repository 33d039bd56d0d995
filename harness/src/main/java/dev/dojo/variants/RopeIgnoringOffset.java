package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;

/**
 * The half-split reference RoPE numbering positions from 0 in every call, whatever offset it is
 * given. A known-bad variant.
 */
final class RopeIgnoringOffset extends RotaryEmbedding {

    RopeIgnoringOffset(int headSize, double theta) {
        super(headSize, theta, RopePairing.HALF_SPLIT);
    }

    @Override
    protected NDArray positions(NDManager manager, long offset, long tokens) {
        return manager.arange(0, tokens).toType(DataType.FLOAT32, false);  // (T)
    }
}
