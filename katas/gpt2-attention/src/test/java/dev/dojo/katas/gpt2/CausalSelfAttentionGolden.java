package dev.dojo.katas.gpt2;

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
import dev.dojo.tensor.Seeded;

import java.util.List;
import java.util.SplittableRandom;

/**
 * CausalSelfAttention with the weights of a causal torch.nn.MultiheadAttention (its packed
 * in_proj is c_attn, its out_proj c_proj), against that module with a causal mask and a key
 * padding mask, on a batch of sequences of different lengths padded on the right.
 */
public final class CausalSelfAttentionGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(7);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    /** torch.nn.MultiheadAttention(16, 4) under a causal attn_mask and a key_padding_mask. */
    static final String MODEL = "multihead_attention";
    /** The same module with other weights, under a key_padding_mask alone. */
    static final String UNMASKED_MODEL = "multihead_attention_padding_only";
    static final int HEADS = 4;
    static final int WIDTH = 16;
    static final int BATCH = 3;
    static final int TOKENS = 7;

    @Override
    public long seed() {
        return SEED;
    }

    @Override
    public Tolerance tolerance() {
        return TOLERANCE;
    }

    /** The kata's attention in a model shaped like GPT-2: LayerNorm, pre-norm, GELU, 4 heads, no RoPE. */
    @Override
    public Kit kit() {
        return Kit.reference(ModelConfig.tinyPreNormEncoder()).named("gpt2-attention")
                .withAttention((q, k, v, o, heads, kvHeads, rope) -> {
                    if (rope != null || kvHeads != heads) {
                        throw new IllegalArgumentException("GPT-2 attention has no RoPE and a KV head per head");
                    }
                    return new CausalSelfAttention(packed(q, k, v), o, heads);
                });
    }

    /** c_attn from separate q, k, v projections: their weights and biases stacked in that order (a missing bias is zero). */
    static Linear packed(Linear q, Linear k, Linear v) {
        NDArray weight = q.weight().concat(k.weight(), 0).concat(v.weight(), 0);          // (3C, C)
        if (q.bias() == null && k.bias() == null && v.bias() == null) {
            return new Linear(weight, null);
        }
        NDArray bias = biasOf(q).concat(biasOf(k), 0).concat(biasOf(v), 0);                 // (3C)
        return new Linear(weight, bias);
    }

    private static NDArray biasOf(Linear projection) {
        return projection.bias() != null ? projection.bias()
                : projection.weight().getManager().zeros(new ai.djl.ndarray.types.Shape(projection.out()));
    }

    /** The attention under test, with the weights of the golden module {@code golden}. */
    static CausalSelfAttention attention(GoldenModel golden, NDManager manager) {
        Parameters p = golden.parameters(manager).under("mha");
        return new CausalSelfAttention(new Linear(p.get("in_proj_weight"), p.get("in_proj_bias")),
                Linear.from(p.under("out_proj")), HEADS);
    }

    /**
     * Sequence lengths drawn from {@code seeded}: one item of full length, every other item between
     * 1 and T - 1 tokens, so every batch holds pads and every item a token.
     */
    static long[] lengths(Seeded seeded, int batch, int tokens) {
        SplittableRandom random = seeded.stream("lengths");
        int full = random.nextInt(batch);
        long[] lengths = new long[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = b == full ? tokens : 1 + random.nextInt(tokens - 1);
        }
        return lengths;
    }

    @Override
    public Outputs run(NDManager manager, long seed) {
        GoldenModel golden = GoldenModel.named(MODEL);
        Seeded seeded = Seeded.of(manager, seed);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, lengths(seeded, BATCH, TOKENS));     // (B, T)
        NDArray actual = attention(golden, manager).forward(x, AttentionMask.causal(padding));
        NDArray expected = golden.run(manager, x, padding).singletonOrThrow();
        return new Outputs(actual, expected, "Causal attention output",
                "PyTorch's causal MultiheadAttention with key_padding_mask", List.of("batch", "pos", "dim"));
    }
}
