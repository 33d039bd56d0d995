package dev.dojo.katas.decoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.compare.Tolerance;
import dev.dojo.golden.GoldenModel;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;

import java.util.List;

/**
 * DecodingAttention with the weights of a Llama-style attention written in PyTorch (4 query heads,
 * 2 KV heads, rotate_half RoPE, causal), decoding a seeded batch through a KV cache, a prompt of a
 * seeded length and then one token per step, against that module's one pass over the whole sequence.
 * B batch, T tokens, C model width.
 */
public final class DecodingAttentionGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(23);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    static final String MODEL = "gqa_attention";
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    static final int WIDTH = 32;
    static final int HEAD_SIZE = WIDTH / HEADS;
    static final double THETA = 10_000;
    static final int BATCH = 2;
    static final int TOKENS = 9;

    /** The rotary embedding of the golden module: rotate_half, θ 10000, D 8. */
    static RotaryEmbedding rope() {
        return new RotaryEmbedding(HEAD_SIZE, THETA, RopePairing.HALF_SPLIT);
    }

    /** The attention under test, with the golden module's parameters. */
    static DecodingAttention attention(NDManager manager) {
        Parameters p = GoldenModel.named(MODEL).parameters(manager);
        return new DecodingAttention(Linear.from(p.under("q_proj")), Linear.from(p.under("k_proj")),
                Linear.from(p.under("v_proj")), Linear.from(p.under("o_proj")), HEADS, KV_HEADS, rope());
    }

    /** PyTorch's causal attention on x: (B, T, C), in one pass. */
    static NDArray pyTorch(NDManager manager, NDArray x) {
        return GoldenModel.named(MODEL).run(manager, x).singletonOrThrow();
    }

    /**
     * x: (B, T, C) through {@code cache}, causal: a prompt of {@code prompt} tokens, then {@code chunk}
     * tokens per step; every step's outputs, (B, T, C).
     */
    static NDArray decode(CachedAttention attention, KvCache cache, NDArray x, long prompt, long chunk) {
        long tokens = x.getShape().get(1);
        NDArray decoded = attention.forward(x.get(new NDIndex(":, :{}", prompt)), AttentionMask.causalOnly(), cache);
        for (long t = prompt; t < tokens; t += chunk) {
            NDArray step = x.get(new NDIndex(":, {}:{}", t, Math.min(tokens, t + chunk)));            // (B, chunk, C)
            decoded = decoded.concat(attention.forward(step, AttentionMask.causalOnly(), cache), 1);
        }
        return decoded;
    }

    /** The kata's attention in a tiny Llama: RMSNorm, 4 query heads sharing 2 KV heads, RoPE, SwiGLU. */
    @Override
    public Kit kit() {
        return Kit.reference(ModelConfig.tinyLlama()).named("incremental-decoding").withAttention(DecodingAttention::new);
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
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                          // (B, T, C)
        long prompt = 1 + seeded.stream("prompt").nextLong(TOKENS - 1);
        NDArray actual = decode(attention(manager), new KvCache(), x, prompt, 1);
        return new Outputs(actual, pyTorch(manager, x), "Output decoded with a KV cache, a prompt of " + prompt
                + ", then one token per step", "Llama-style attention in PyTorch, one pass",
                List.of("batch", "pos", "dim"));
    }
}
