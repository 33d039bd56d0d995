package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.junit.ScopedManager;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;
import dev.dojo.variants.Variants;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.probes.ProbeFixtures.assertFailsNaming;

/**
 * The rows-sum probe holds on the reference attention and fails when the mask comes after the softmax.
 */
@ExtendWith(ScopedManager.class)
class RowSumsTest {
    private static final int WIDTH = 16;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    @DisplayName("rows sum to 1 on the reference attention, with and without RoPE, under causal and padding masks")
    void rowSumsHold(long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        Attention llama = Attention.random(seeded, "attention", WIDTH, 4, 2, rope());
        Attention plain = Attention.random(seeded, "plain", WIDTH, 4, 4, null);
        NDArray x = seeded.normal("x", 1, 3, 6, WIDTH);
        AttentionMask mask = AttentionMask.causal(seeded.leftPadding(6, 6, 3, 1));

        assertThat(RowSums.check(Attention::new, llama.wq(), llama.wk(), 4, 2, llama.rope(), x, mask, seed)).holds();
        assertThat(RowSums.check(Attention::new, plain.wq(), plain.wk(), 4, 4, null, x, AttentionMask.none(), seed))
                .holds();
    }

    @Test
    @DisplayName("rows sum to 1 fails when the mask zeroes probabilities after the softmax, localized by head and query")
    void rowSumsFail(NDManager manager) {
        ProbeResult result = new RowSums().run(Variants.named("mask-after-softmax").orElseThrow().kit(), manager, 1);

        assertFailsNaming(result, "✗ rows sum to 1: each query's attention weights over the keys must sum to 1\n"
                + "  Row sums of the attention weights (read out with every value set to 1) diverges from 1\n");
    }

    private static RotaryEmbedding rope() {
        return new RotaryEmbedding(4, 10_000, RopePairing.HALF_SPLIT);
    }
}
