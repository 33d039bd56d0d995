package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.junit.ScopedManager;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.RmsNorm;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.reference.SwiGluFeedForward;
import dev.dojo.reference.TransformerBlock;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.BiFunction;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.probes.ProbeFixtures.assertFailsNaming;
import static dev.dojo.probes.ProbeFixtures.lengths;

/** The batch-independence probe holds on reference attention and blocks, and fails on a layer that mixes samples. */
@ExtendWith(ScopedManager.class)
class BatchIndependenceTest {
    private static final int WIDTH = 16;
    private static final int TOKENS = 6;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    @DisplayName("holds on reference attention with a padding mask")
    void holdsOnAttentionWithPadding(long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        Attention attention = Attention.random(seeded, "attention", WIDTH, 4, 4, null);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);
        NDArray padding = seeded.rightPadding(TOKENS, lengths(seeded, 3, TOKENS));

        assertThat(BatchIndependence.check(attention::forward, x, padding, false, seed)).holds();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    @DisplayName("holds on a Llama-style pre-norm block with causal and padding masks")
    void holdsOnCausalBlock(long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        TransformerBlock block = new TransformerBlock(TransformerBlock.Placement.PRE_NORM,
                RmsNorm.random(seeded, "input_layernorm", WIDTH),
                Attention.random(seeded, "self_attn", WIDTH, 4, 2, new RotaryEmbedding(4, 10_000,
                        RopePairing.HALF_SPLIT)),
                RmsNorm.random(seeded, "post_attention_layernorm", WIDTH),
                SwiGluFeedForward.random(seeded, "mlp", WIDTH, 40));
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);
        NDArray padding = seeded.rightPadding(TOKENS, lengths(seeded, 3, TOKENS));

        assertThat(BatchIndependence.check(block::forward, x, padding, true, seed)).holds();
    }

    @Test
    @DisplayName("fails on a layer whose norm takes its statistics over the batch, naming probe and property")
    void failsWhenSamplesAreMixed(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 7);
        Attention attention = Attention.random(seeded, "attention", WIDTH, 4, 4, null);
        BiFunction<NDArray, AttentionMask, NDArray> layer =
                (x, mask) -> attention.forward(batchStatisticsNorm(x), mask);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);

        ProbeResult result = BatchIndependence.check(layer, x, null, false, 7);

        assertFailsNaming(result, "✗ batch independence: each sample's output must be the same alone as in the batch\n"
                + "  Output in the batch diverges from each sample run alone\n");
    }

    /** Normalizes with one mean and variance per feature over batch and tokens, as BatchNorm does. */
    private static NDArray batchStatisticsNorm(NDArray x) {               // x: (B, T, C)
        NDArray mean = x.mean(new int[] {0}, true).mean(new int[] {1}, true);                    // (1, 1, C)
        NDArray centered = x.sub(mean);
        NDArray var = centered.square().mean(new int[] {0}, true).mean(new int[] {1}, true);     // (1, 1, C)
        return centered.div(var.add(1e-5).sqrt());
    }
}
