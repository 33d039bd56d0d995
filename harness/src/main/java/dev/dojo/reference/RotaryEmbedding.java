package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding. B batch, H heads, T tokens, D head size.
 * Pair i of a head at position p is rotated by the angle p · θ^(-2i/D).
 * Each step is a method of its own, which a subclass may override.
 */
public class RotaryEmbedding implements Rotary {
    private final int headSize;
    private final double theta;
    private final RopePairing pairing;

    public RotaryEmbedding(int headSize, double theta, RopePairing pairing) {
        if (headSize % 2 != 0) {
            throw new IllegalArgumentException("head size (" + headSize + ") must be even to rotate pairs");
        }
        this.headSize = headSize;
        this.theta = theta;
        this.pairing = pairing;
    }

    /** Rotates x: (B, H, T, D) as if its first token sat at position {@code offset}. */
    @Override
    public final NDArray apply(NDArray x, long offset) {                   // x: (B, H, T, D)
        long tokens = x.getShape().get(2);
        NDArray angles = angles(x.getManager(), offset, tokens);          // (T, D/2)
        return pairing == RopePairing.HALF_SPLIT ? rotateHalfSplit(x, angles) : rotateAdjacentPairs(x, angles);
    }

    /** The rotation angle of each position and pair: (T, D/2). */
    public final NDArray angles(NDManager manager, long offset, long tokens) {
        NDArray positions = positions(manager, offset, tokens);           // (T)
        NDArray frequencies = inverseFrequencies(manager);                // (D/2)
        return positions.reshape(tokens, 1).mul(frequencies.reshape(1, headSize / 2));   // (T, D/2)
    }

    /** The positions of the {@code tokens} tokens from {@code offset} on: offset, offset + 1, …: (T). */
    protected NDArray positions(NDManager manager, long offset, long tokens) {
        return manager.arange(offset, offset + tokens).toType(DataType.FLOAT32, false);  // (T)
    }

    /** The angle per position of each pair i, θ^(-2i/D): (D/2). */
    protected NDArray inverseFrequencies(NDManager manager) {
        float[] inverseFrequency = new float[headSize / 2];
        for (int i = 0; i < inverseFrequency.length; i++) {
            inverseFrequency[i] = (float) Math.pow(theta, -2.0 * i / headSize);
        }
        return manager.create(inverseFrequency);                          // (D/2)
    }

    /** Coordinate i paired with i + D/2: x · cos + rotate_half(x) · sin. */
    private NDArray rotateHalfSplit(NDArray x, NDArray angles) {          // x: (B, H, T, D)
        NDArray cos = angles.cos().concat(angles.cos(), -1).toType(x.getDataType(), false);   // (T, D)
        NDArray sin = angles.sin().concat(angles.sin(), -1).toType(x.getDataType(), false);   // (T, D)
        return x.mul(cos).add(rotateHalf(x).mul(sin));                    // (B, H, T, D)
    }

    /** Hugging Face's rotate_half: the halves (x₁, x₂) of the last axis become (-x₂, x₁). */
    protected NDArray rotateHalf(NDArray x) {                              // x: (B, H, T, D)
        long half = x.getShape().get(3) / 2;
        NDArray first = x.get(new NDIndex("..., :{}", half));              // (B, H, T, D/2)
        NDArray second = x.get(new NDIndex("..., {}:", half));             // (B, H, T, D/2)
        return second.neg().concat(first, -1);                             // (B, H, T, D)
    }

    /** Coordinate 2i paired with 2i + 1, each pair rotated as a complex number. */
    private static NDArray rotateAdjacentPairs(NDArray x, NDArray angles) {   // x: (B, H, T, D)
        Shape shape = x.getShape();
        NDArray pairs = x.reshape(shape.get(0), shape.get(1), shape.get(2), shape.get(3) / 2, 2);   // (B, H, T, D/2, 2)
        NDArray even = pairs.get(new NDIndex("..., 0"));                   // (B, H, T, D/2)
        NDArray odd = pairs.get(new NDIndex("..., 1"));                    // (B, H, T, D/2)
        NDArray cos = angles.cos().toType(x.getDataType(), false);         // (T, D/2)
        NDArray sin = angles.sin().toType(x.getDataType(), false);         // (T, D/2)
        NDArray rotatedEven = even.mul(cos).sub(odd.mul(sin));             // (B, H, T, D/2)
        NDArray rotatedOdd = even.mul(sin).add(odd.mul(cos));              // (B, H, T, D/2)
        return rotatedEven.stack(rotatedOdd, -1).reshape(shape);           // (B, H, T, D)
    }

    @Override
    public int headSize() {
        return headSize;
    }

    public RopePairing pairing() {
        return pairing;
    }
}
