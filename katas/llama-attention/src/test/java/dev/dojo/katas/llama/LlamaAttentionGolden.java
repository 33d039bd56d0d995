package dev.dojo.katas.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Tolerance;
import dev.dojo.golden.GoldenModel;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;

import java.util.List;

/**
 * LlamaAttention with the weights of a Llama-style attention written in PyTorch (4 query heads, 2
 * KV heads, rotate_half RoPE, causal), against that module on a seeded batch.
 * B batch, T tokens, C model width.
 */
public final class LlamaAttentionGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(13);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    static final String MODEL = "gqa_attention";
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    static final int WIDTH = 32;
    static final int HEAD_SIZE = WIDTH / HEADS;
    static final double THETA = 10_000;
    static final int BATCH = 2;
    static final int TOKENS = 7;

    /** The rotary embedding of the golden module: rotate_half, θ 10000, D 8. */
    static RotaryEmbedding rope() {
        return new RotaryEmbedding(HEAD_SIZE, THETA, RopePairing.HALF_SPLIT);
    }

    /** The attention under test, with the golden module's parameters. */
    static LlamaAttention attention(GoldenModel golden, NDManager manager) {
        return LlamaAttention.fromLlama(golden.parameters(manager), HEADS, KV_HEADS, rope());
    }

    /** The kata's attention in a tiny Llama: RMSNorm, 4 query heads sharing 2 KV heads, RoPE, SwiGLU. */
    @Override
    public Kit kit() {
        return Kit.reference(ModelConfig.tinyLlama()).named("llama-attention").withAttention(LlamaAttention::new);
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
        GoldenModel golden = GoldenModel.named(MODEL);
        NDArray x = Seeded.of(manager, seed).normal("x", 1, BATCH, TOKENS, WIDTH);        // (B, T, C)
        NDArray actual = attention(golden, manager).forward(x, AttentionMask.causalOnly());
        NDArray expected = golden.run(manager, x).singletonOrThrow();
        return new Outputs(actual, expected, "Attention output", "Llama-style attention in PyTorch",
                List.of("batch", "pos", "dim"));
    }
}
