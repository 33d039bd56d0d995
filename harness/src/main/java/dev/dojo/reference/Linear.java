package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import dev.dojo.tensor.Seeded;

/** y = x Wᵀ + b, as {@code torch.nn.Linear}. W: (out, in), b: (out) or none. */
public final class Linear {
    private final NDArray weight;
    private final NDArray bias;

    /** A linear map with {@code weight} (out, in) and {@code bias} (out), which may be null. */
    public Linear(NDArray weight, NDArray bias) {
        if (weight.getShape().dimension() != 2) {
            throw new IllegalArgumentException("weight must be (out, in), got " + weight.getShape());
        }
        if (bias != null && bias.getShape().size() != weight.getShape().get(0)) {
            throw new IllegalArgumentException("bias " + bias.getShape() + " must have one value per output ("
                    + weight.getShape().get(0) + ")");
        }
        this.weight = weight;
        this.bias = bias;
    }

    /** {@code torch.nn.Linear}'s parameters {@code weight} and, if present, {@code bias}. */
    public static Linear from(Parameters p) {
        return new Linear(p.get("weight"), p.find("bias").orElse(null));
    }

    /** Weights drawn with std 1/sqrt(in), from the streams named {@code name}. */
    public static Linear random(Seeded seeded, String name, long in, long out, boolean withBias) {
        NDArray w = seeded.normal(name + ".weight", 1 / Math.sqrt(in), out, in);
        NDArray b = withBias ? seeded.normal(name + ".bias", 0.1, out) : null;
        return new Linear(w, b);
    }

    public NDArray forward(NDArray x) {                    // x: (..., in)
        NDArray y = x.matMul(weight.transpose());          // (..., out)
        return bias == null ? y : y.add(bias);
    }

    /** The same map with every weight and bias set to zero: its output is always zero. */
    public Linear zeroed() {
        return new Linear(weight.zerosLike(), bias == null ? null : bias.zerosLike());
    }

    public NDArray weight() {
        return weight;
    }

    /** The bias, or null when the map has none. */
    public NDArray bias() {
        return bias;
    }

    public long in() {
        return weight.getShape().get(1);
    }

    public long out() {
        return weight.getShape().get(0);
    }
}
