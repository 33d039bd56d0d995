package dev.dojo.katas.opt;

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
 * OptAttention with the weights of torch.nn.MultiheadAttention (its packed in_proj rows are q_proj,
 * k_proj, v_proj; out_proj is out_proj), against that module under a causal mask, on a batch of
 * prompts of different lengths padded on the right. B batch, T tokens, C model width.
 */
public final class OptAttentionGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(23);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    /** torch.nn.MultiheadAttention(16, 4) with a causal mask and a key padding mask. */
    static final String MODEL = "multihead_attention";
    /** The same module with other weights, with a key padding mask only. */
    static final String PADDING_MODEL = "multihead_attention_padding_only";
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

    /** The kata's attention in a model shaped like OPT: pre-norm, LayerNorm, 4 heads, no RoPE. */
    @Override
    public Kit kit() {
        return Kit.reference(ModelConfig.tinyPreNormEncoder()).named("opt-attention")
                .withAttention((q, k, v, o, heads, kvHeads, rope) -> {
                    if (rope != null || kvHeads != heads) {
                        throw new IllegalArgumentException("OPT attention has no RoPE and a key/value head per head");
                    }
                    return new OptAttention(q, k, v, o, heads);
                });
    }

    /** The attention under test, with the weights of the golden module {@code model}. */
    static OptAttention attention(NDManager manager, String model) {
        Parameters p = GoldenModel.named(model).parameters(manager).under("mha");
        NDList w = p.get("in_proj_weight").split(3, 0);
        NDList b = p.get("in_proj_bias").split(3, 0);
        return new OptAttention(new Linear(w.get(0), b.get(0)), new Linear(w.get(1), b.get(1)),
                new Linear(w.get(2), b.get(2)), Linear.from(p.under("out_proj")), HEADS);
    }

    /** Prompt lengths drawn from {@code seeded}: one item of full length, every other between 1 and T - 1. */
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
        Seeded seeded = Seeded.of(manager, seed);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, lengths(seeded, BATCH, TOKENS));     // (B, T)
        NDArray actual = attention(manager, MODEL).forward(x, AttentionMask.causal(padding));
        NDArray expected = GoldenModel.named(MODEL).run(manager, x, padding).singletonOrThrow();
        return new Outputs(actual, expected, "Causal attention output",
                "PyTorch's MultiheadAttention with a causal mask and key_padding_mask", List.of("batch", "pos", "dim"));
    }
}
