package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.dojo.reference.Rotary;

/**
 * Rotary embedding that numbers positions from 0 in every call, whatever offset it is given. A known-bad variant.
 * Half-split pairing, as the reference's; B batch, H heads, T tokens, D head size.
 */
final class RopeIgnoringOffset implements Rotary {
    private final int headSize;
    private final double theta;

    RopeIgnoringOffset(int headSize, double theta) {
        this.headSize = headSize;
        this.theta = theta;
    }

    @Override
    public NDArray apply(NDArray x, long offset) {                         // x: (B, H, T, D)
        long tokens = x.getShape().get(2);
        NDArray angles = angles(x.getManager(), offset, tokens);          // (T, D/2)
        long half = x.getShape().get(3) / 2;
        NDArray cos = angles.cos().concat(angles.cos(), -1).toType(x.getDataType(), false);   // (T, D)
        NDArray sin = angles.sin().concat(angles.sin(), -1).toType(x.getDataType(), false);   // (T, D)
        NDArray first = x.get(new NDIndex("..., :{}", half));              // (B, H, T, D/2)
        NDArray second = x.get(new NDIndex("..., {}:", half));             // (B, H, T, D/2)
        NDArray rotated = second.neg().concat(first, -1);                  // (B, H, T, D)
        return x.mul(cos).add(rotated.mul(sin));
    }

    private NDArray angles(NDManager manager, long offset, long tokens) {
        float[] inverseFrequency = new float[headSize / 2];
        for (int i = 0; i < inverseFrequency.length; i++) {
            inverseFrequency[i] = (float) Math.pow(theta, -2.0 * i / headSize);
        }
        NDArray positions = manager.arange(0, tokens).toType(DataType.FLOAT32, false);
        NDArray frequencies = manager.create(inverseFrequency);
        return positions.reshape(tokens, 1).mul(frequencies.reshape(1, inverseFrequency.length));
    }

    @Override
    public int headSize() {
        return headSize;
    }
}
