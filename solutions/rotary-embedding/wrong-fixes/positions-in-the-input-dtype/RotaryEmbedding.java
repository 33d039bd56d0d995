// wrong fix: counts from the offset, but builds the positions in the input's dtype so the angles need no cast: exact in float32, but float16 positions past 2048 round to even numbers (past 4096 to multiples of 4), so a long float16 context is turned by the wrong angles
package dev.dojo.katas.rope;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Rotary position embedding in the half-split ("rotate_half") layout of Llama and Hugging Face:
 * coordinate i of a head turns together with coordinate i + D/2, by the angle p · θ^(-2i/D) at
 * position p. Applied to queries and keys before attention.
 * B batch, H heads, T tokens, D head size.
 */
public final class RotaryEmbedding {
    private final int headSize;
    private final double theta;

    public RotaryEmbedding(int headSize, double theta) {
        if (headSize % 2 != 0) {
            throw new IllegalArgumentException("head size (" + headSize + ") must be even to rotate pairs");
        }
        this.headSize = headSize;
        this.theta = theta;
    }

    /** Rotates x: (B, H, T, D), whose tokens follow {@code offset} tokens already in the KV cache. */
    public NDArray apply(NDArray x, long offset) {                                        // x: (B, H, T, D)
        NDManager manager = x.getManager();
        long tokens = x.getShape().get(2);
        long half = headSize / 2;
        NDArray exponents = manager.arange(0f, half).mul(-2.0 / headSize);                // (D/2)
        NDArray frequencies = manager.create((float) theta).pow(exponents);               // (D/2)
        NDArray positions = manager.arange(offset, offset + tokens).toType(x.getDataType(), false);  // (T)
        NDArray angles = positions.reshape(tokens, 1).mul(frequencies.reshape(1, half));  // (T, D/2)
        NDArray cos = angles.concat(angles, -1).cos();                                    // (T, D)
        NDArray sin = angles.concat(angles, -1).sin();                                    // (T, D)
        NDArray first = x.get(new NDIndex("..., :{}", half));                             // (B, H, T, D/2)
        NDArray second = x.get(new NDIndex("..., {}:", half));                            // (B, H, T, D/2)
        NDArray rotated = second.neg().concat(first, -1);                                 // (B, H, T, D)
        return x.mul(cos).add(rotated.mul(sin));                                          // (B, H, T, D)
    }
}
