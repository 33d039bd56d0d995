package dev.dojo.katas.mistral;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Tolerance;
import dev.dojo.golden.GoldenModel;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;

import java.util.List;

/**
 * MistralAttention with the weights of a Mistral-style attention written in PyTorch (4 query heads,
 * 2 KV heads, rotate_half RoPE, a sliding-window causal mask), against that module on a seeded
 * batch of 12 tokens under a seeded window of 1 to 6.
 * B batch, T tokens, C model width.
 */
public final class MistralAttentionGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(17);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    static final String MODEL = "sliding_window_attention";
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    static final int WIDTH = 32;
    static final int HEAD_SIZE = WIDTH / HEADS;
    static final double THETA = 10_000;
    static final int BATCH = 2;
    static final int TOKENS = 12;

    /** The rotary embedding of the golden module: rotate_half, θ 10000, D 8. */
    static RotaryEmbedding rope() {
        return new RotaryEmbedding(HEAD_SIZE, THETA, RopePairing.HALF_SPLIT);
    }

    /** The attention under test, with the golden module's parameters. */
    static MistralAttention attention(GoldenModel golden, NDManager manager) {
        Parameters p = golden.parameters(manager);
        return new MistralAttention(Linear.from(p.under("q_proj")), Linear.from(p.under("k_proj")),
                Linear.from(p.under("v_proj")), Linear.from(p.under("o_proj")), HEADS, KV_HEADS, rope());
    }

    /** PyTorch's sliding-window attention on x: (B, T, C) under a window of {@code window}. */
    static NDArray pyTorch(NDManager manager, NDArray x, long window) {
        return GoldenModel.named(MODEL).run(manager, x, manager.create(window)).singletonOrThrow();
    }

    /** The kata's attention in a tiny Mistral: RMSNorm, 4 query heads sharing 2 KV heads, RoPE, a window of 3. */
    @Override
    public Kit kit() {
        return Kit.reference(ModelConfig.tinyMistral()).named("mistral-attention").withAttention(MistralAttention::new);
    }

    @Override
    public long seed() {
        return SEED;
    }

    @Override
    public Tolerance tolerance() {
        return TOLERANCE;
    }

    @Override
    public Outputs run(NDManager manager, long seed) {
        Seeded seeded = Seeded.of(manager, seed);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                         // (B, T, C)
        int window = 1 + seeded.stream("window").nextInt(6);
        NDArray actual = attention(GoldenModel.named(MODEL), manager).forward(x, AttentionMask.slidingWindow(window));
        return new Outputs(actual, pyTorch(manager, x, window), "Attention output, window " + window,
                "Mistral-style attention in PyTorch", List.of("batch", "pos", "dim"));
    }
}
