package dev.dojo.katas.whisper;

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
 * WhisperAttention with the weights of torch.nn.MultiheadAttention, against that module under a
 * causal mask, on a batch of sequences of different lengths padded on the right, as a decoder sees them.
 * B batch, T tokens, C model width.
 */
public final class WhisperAttentionGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(17);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    /** torch.nn.MultiheadAttention(16, 4) with a causal mask and a key padding mask. */
    static final String CAUSAL_MODEL = "multihead_attention";
    /** torch.nn.MultiheadAttention(16, 4) with a key padding mask only. */
    static final String MODEL = "multihead_attention_padding_only";
    static final int HEADS = 4;
    static final int WIDTH = 16;
    static final int BATCH = 3;
    static final int TOKENS = 7;

    @Override
    public long seed() {
        return SEED;
    }

    /** The kata's attention in a pre-norm encoder shaped like Whisper's: LayerNorm, 4 heads, GELU, no RoPE. */
    @Override
    public Kit kit() {
        return Kit.reference(ModelConfig.tinyPreNormEncoder()).named("whisper-attention")
                .withAttention((q, k, v, o, heads, kvHeads, rope) -> new WhisperAttention(q, k, v, o, heads));
    }

    /** The attention under test, with the golden module's parameters. */
    static WhisperAttention attention(GoldenModel golden, NDManager manager) {
        return WhisperAttention.fromTorchMultihead(golden.parameters(manager).under("mha"), HEADS);
    }

    /** Sequence lengths drawn from {@code seeded}: one item of full length, every other between 1 and T - 1. */
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
        GoldenModel golden = GoldenModel.named(CAUSAL_MODEL);
        Seeded seeded = Seeded.of(manager, seed);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, lengths(seeded, BATCH, TOKENS));     // (B, T)
        NDArray actual = attention(golden, manager).forward(x, AttentionMask.causal(padding));
        NDArray expected = golden.run(manager, x, padding).singletonOrThrow();
        return new Outputs(actual, expected, "Causal attention output",
                "PyTorch's MultiheadAttention with a causal mask and key_padding_mask", List.of("batch", "pos", "dim"));
    }
}
