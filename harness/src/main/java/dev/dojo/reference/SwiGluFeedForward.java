package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.dojo.tensor.Seeded;

/** down(SiLU(gate(x)) ⊙ up(x)), Llama's MLP. C width, F hidden width. */
public final class SwiGluFeedForward implements FeedForward {
    private final Linear gate;
    private final Linear up;
    private final Linear down;

    public SwiGluFeedForward(Linear gate, Linear up, Linear down) {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    /** Llama's {@code gate_proj}, {@code up_proj}, {@code down_proj}. */
    public static SwiGluFeedForward fromLlama(Parameters p) {
        return new SwiGluFeedForward(Linear.from(p.under("gate_proj")), Linear.from(p.under("up_proj")),
                Linear.from(p.under("down_proj")));
    }

    public static SwiGluFeedForward random(Seeded seeded, String name, long width, long hidden) {
        return new SwiGluFeedForward(Linear.random(seeded, name + ".gate_proj", width, hidden, false),
                Linear.random(seeded, name + ".up_proj", width, hidden, false),
                Linear.random(seeded, name + ".down_proj", hidden, width, false));
    }

    @Override
    public NDArray forward(NDArray x) {                        // x: (..., C)
        NDArray g = gate.forward(x);                           // (..., F)
        NDArray u = up.forward(x);                             // (..., F)
        NDArray h = g.mul(Activation.sigmoid(g)).mul(u);       // (..., F)
        return down.forward(h);                                // (..., C)
    }

    /** The same sublayer with its output projection zeroed: its output is always zero. */
    public SwiGluFeedForward withZeroedOutput() {
        return new SwiGluFeedForward(gate, up, down.zeroed());
    }
}
