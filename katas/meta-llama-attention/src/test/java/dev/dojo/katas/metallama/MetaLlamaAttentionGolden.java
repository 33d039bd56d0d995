package dev.dojo.katas.metallama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Tolerance;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Parameters;
import dev.dojo.tensor.Seeded;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A two-layer Llama-shaped model (RMSNorm, grouped-query attention with RoPE, SwiGLU) with the kata's
 * attention in both layers, against the same model built from the reference parts (each held to PyTorch),
 * on a batch of prompts padded on the left under the causal mask, as batched generation lays them out:
 * the logits at the real tokens. B batch, T tokens, V vocabulary.
 */
public final class MetaLlamaAttentionGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(29);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
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

    /** The kata's attention in a Llama-shaped model: RMSNorm, 4 query heads over 2 KV heads, RoPE, SwiGLU, 2 layers. */
    @Override
    public Kit kit() {
        return kit(ModelConfig.tinyLlama());
    }

    static Kit kit(ModelConfig config) {
        return Kit.reference(config).named("meta-llama-attention").withAttention(Attention::new);
    }

    /**
     * Prompt lengths drawn from {@code seeded}: one item of full length, every other between 1 and
     * T - 1 tokens, so every batch has an item with pads.
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

    /** out at the real tokens, 0 at the pads: (B, T, ...). */
    static NDArray atTokens(NDArray out, NDArray padding) {
        NDArray token = padding.expandDims(-1).broadcast(out.getShape()).gt(0);    // (B, T, ...)
        return NDArrays.where(token, out, out.zerosLike());
    }

    @Override
    public Outputs run(NDManager manager, long seed) {
        ModelConfig config = ModelConfig.tinyLlama();
        Seeded seeded = Seeded.of(manager, seed);
        Parameters p = config.randomParameters(seeded);
        NDArray tokens = seeded.integers("tokens", config.vocabulary(), BATCH, TOKENS);       // (B, T)
        NDArray padding = seeded.leftPadding(TOKENS, lengths(seeded, BATCH, TOKENS));         // (B, T)
        AttentionMask mask = AttentionMask.causal(padding);
        NDArray actual = kit().decoder(p, config).forward(tokens, mask);                      // (B, T, V)
        NDArray expected = Kit.reference(config).decoder(p, config).forward(tokens, mask);    // (B, T, V)
        return new Outputs(atTokens(actual, padding), atTokens(expected, padding),
                "Logits at the real tokens of left-padded prompts, two layers",
                "the reference Llama-shaped model", List.of("batch", "pos", "vocab"));
    }
}
