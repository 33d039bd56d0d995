package dev.dojo.katas.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
 * BertSelfAttention with the weights of torch.nn.MultiheadAttention (rows 0 to C - 1 of its packed
 * in_proj are query, then key, then value; out_proj is dense), against that module with a key
 * padding mask, on a batch of sentences of different lengths padded on the right.
 */
public final class BertSelfAttentionGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(5);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    /** torch.nn.MultiheadAttention(16, 4) under a key_padding_mask. */
    static final String MODEL = "multihead_attention_padding_only";
    /** The same module with other weights, under a causal attn_mask and a key_padding_mask. */
    static final String CAUSAL_MODEL = "multihead_attention";
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

    /** The kata's attention in a model shaped like BERT: post-norm, LayerNorm, GELU, 4 heads, no RoPE. */
    @Override
    public Kit kit() {
        return Kit.reference(ModelConfig.tinyPostNorm()).named("bert-self-attention")
                .withAttention((q, k, v, o, heads, kvHeads, rope) -> {
                    if (rope != null || kvHeads != heads) {
                        throw new IllegalArgumentException("BERT attention has no RoPE and a KV head per head");
                    }
                    return new BertSelfAttention(q, k, v, o, heads);
                });
    }

    /** The attention under test, with the weights of the golden module {@code golden}. */
    static BertSelfAttention attention(GoldenModel golden, NDManager manager) {
        Parameters p = golden.parameters(manager).under("mha");
        NDList w = p.get("in_proj_weight").split(3, 0);
        NDList b = p.get("in_proj_bias").split(3, 0);
        return new BertSelfAttention(new Linear(w.get(0), b.get(0)), new Linear(w.get(1), b.get(1)),
                new Linear(w.get(2), b.get(2)), Linear.from(p.under("out_proj")), HEADS);
    }

    /**
     * Sentence lengths drawn from {@code seeded}: one item of full length, every other item between
     * 2 and T - 1 tokens, so every batch holds pads and every sentence more than one word.
     */
    static long[] lengths(Seeded seeded, int batch, int tokens) {
        SplittableRandom random = seeded.stream("lengths");
        int full = random.nextInt(batch);
        long[] lengths = new long[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = b == full ? tokens : 2 + random.nextInt(tokens - 2);
        }
        return lengths;
    }

    @Override
    public Outputs run(NDManager manager, long seed) {
        GoldenModel golden = GoldenModel.named(MODEL);
        Seeded seeded = Seeded.of(manager, seed);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, lengths(seeded, BATCH, TOKENS));     // (B, T)
        NDArray actual = attention(golden, manager).forward(x, AttentionMask.padding(padding));
        NDArray expected = golden.run(manager, x, padding).singletonOrThrow();
        return new Outputs(actual, expected, "Attention output",
                "PyTorch's MultiheadAttention with key_padding_mask", List.of("batch", "pos", "dim"));
    }
}
