package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import dev.dojo.tensor.Seeded;

/** linear2(GELU(linear1(x))) with the exact (erf) GELU, as {@code torch.nn.TransformerEncoderLayer}'s. */
public final class GeluFeedForward implements FeedForward {
    private final Linear linear1;
    private final Linear linear2;

    public GeluFeedForward(Linear linear1, Linear linear2) {
        this.linear1 = linear1;
        this.linear2 = linear2;
    }

    /** {@code torch.nn.TransformerEncoderLayer}'s {@code linear1} and {@code linear2}. */
    public static GeluFeedForward fromTorchEncoderLayer(Parameters p) {
        return new GeluFeedForward(Linear.from(p.under("linear1")), Linear.from(p.under("linear2")));
    }

    public static GeluFeedForward random(Seeded seeded, String name, long width, long hidden) {
        return new GeluFeedForward(Linear.random(seeded, name + ".linear1", width, hidden, true),
                Linear.random(seeded, name + ".linear2", hidden, width, true));
    }

    @Override
    public NDArray forward(NDArray x) {                        // x: (..., C)
        NDArray h = linear1.forward(x);                        // (..., F)
        return linear2.forward(gelu(h));                       // (..., C)
    }

    /** GELU(x) = x · Φ(x) = x/2 · (1 + erf(x/√2)); the constants are tensors, see {@link dev.dojo.tensor.Autograd}. */
    public static NDArray gelu(NDArray x) {
        NDArray sqrt2 = x.getManager().create(Math.sqrt(2));
        NDArray half = x.getManager().create(0.5f);
        return x.mul(x.div(sqrt2).erf().add(1f)).mul(half);
    }

    /** The same sublayer with its output projection zeroed: its output is always zero. */
    public GeluFeedForward withZeroedOutput() {
        return new GeluFeedForward(linear1, linear2.zeroed());
    }
}
