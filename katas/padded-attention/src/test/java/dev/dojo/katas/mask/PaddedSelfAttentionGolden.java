package dev.dojo.katas.mask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Tolerance;
import dev.dojo.golden.GoldenModel;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.tensor.Seeded;

import java.util.List;
import java.util.SplittableRandom;

/**
 * PaddedSelfAttention with the weights of torch.nn.MultiheadAttention, against that module with a
 * key padding mask, on a batch of sentences of different lengths padded on the right.
 */
public final class PaddedSelfAttentionGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(7);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    static final String MODEL = "multihead_attention_padding_only";
    static final String CAUSAL_MODEL = "multihead_attention";
    static final int HEADS = 4;
    static final int WIDTH = 16;
    static final int BATCH = 3;
    static final int TOKENS = 7;

    @Override
    public long seed() {
        return SEED;
    }

    /** The kata's attention in a model shaped like the golden module's: 4 heads, no RoPE, LayerNorm, GELU. */
    @Override
    public Kit kit() {
        ModelConfig config = ModelConfig.tinyPreNormEncoder();
        return Kit.reference(config).named("padded-attention")
                .withAttention((q, k, v, o, heads, kvHeads, rope) -> new PaddedSelfAttention(q, k, v, o, heads));
    }

    /** The attention under test, with the golden module's parameters. */
    static PaddedSelfAttention attention(GoldenModel golden, NDManager manager) {
        return PaddedSelfAttention.fromTorchMultihead(golden.parameters(manager).under("mha"), HEADS);
    }

    /**
     * Sentence lengths drawn from {@code seeded}: one item of full length, every other item between
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
    public Tolerance tolerance() {
        return TOLERANCE;
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
