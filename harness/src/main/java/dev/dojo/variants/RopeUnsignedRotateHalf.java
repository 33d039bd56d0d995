package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;

/**
 * The half-split reference RoPE whose rotate_half forgets the minus sign: (x₂, x₁) instead of
 * (-x₂, x₁). A known-bad variant.
 */
final class RopeUnsignedRotateHalf extends RotaryEmbedding {

    RopeUnsignedRotateHalf(int headSize, double theta) {
        super(headSize, theta, RopePairing.HALF_SPLIT);
    }

    @Override
    protected NDArray rotateHalf(NDArray x) {                              // x: (B, H, T, D)
        long half = x.getShape().get(3) / 2;
        NDArray first = x.get(new NDIndex("..., :{}", half));              // (B, H, T, D/2)
        NDArray second = x.get(new NDIndex("..., {}:", half));             // (B, H, T, D/2)
        return second.concat(first, -1);                                   // (B, H, T, D)
    }
}
