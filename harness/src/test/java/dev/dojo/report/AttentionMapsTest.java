package dev.dojo.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.dojo.compare.Tolerance;
import dev.dojo.junit.ScopedManager;
import dev.dojo.kit.Kit;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.Rotary;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AttentionMaps reads a black-box attention's weights exactly: it agrees with the weights
 * computed directly from the same q and k, within 1e-5, and shows a wrong mask as a wrong map.
 */
@ExtendWith(ScopedManager.class)
class AttentionMapsTest {
    private static final Tolerance EXTRACTION = Tolerance.absolute(1e-5);
    private static final Kit.AttentionFactory REFERENCE = Attention::new;
    private static final Kit.AttentionFactory QUERY_AXIS_MASK =
            (q, k, v, o, heads, kvHeads, rope) -> new QueryAxisMaskAttention(q, k, v, o, heads);

    @Test
    @DisplayName("reads the reference's weights with GQA, RoPE, padding and a causal mask")
    void groupedQueryWithRopeAndCausalPadding(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 11);
        Linear q = Linear.random(seeded, "q", 16, 16, false);
        Linear k = Linear.random(seeded, "k", 16, 8, false);
        Rotary rope = new RotaryEmbedding(4, 10_000, RopePairing.HALF_SPLIT);
        NDArray x = seeded.normal("x", 1, 3, 7, 16);                                  // (B, T, C)
        AttentionMask mask = AttentionMask.causal(seeded.rightPadding(7, 7, 4, 5));

        NDArray read = AttentionMaps.extract(REFERENCE, q, k, 4, 2, rope, x, mask);

        assertThat(read).named("weights read out").against("weights computed directly").isCloseTo(
                DirectAttention.weights(q, k, 4, 2, rope, x, mask), EXTRACTION);
    }

    @Test
    @DisplayName("reads the weights of multi-head attention with biases and a padding mask, over several chunks")
    void multiHeadWithBiasesAndPadding(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 12);
        Linear q = Linear.random(seeded, "q", 16, 16, true);
        Linear k = Linear.random(seeded, "k", 16, 16, true);
        NDArray x = seeded.normal("x", 1, 2, 11, 16);                                 // T = 11: three chunks of D = 4
        AttentionMask mask = AttentionMask.padding(seeded.rightPadding(11, 11, 6));

        NDArray read = AttentionMaps.extract(REFERENCE, q, k, 4, 4, null, x, mask);

        assertThat(read).named("weights read out").against("weights computed directly").isCloseTo(
                DirectAttention.weights(q, k, 4, 4, null, x, mask), EXTRACTION);
    }

    @Test
    @DisplayName("reads weights when there are as many tokens as channels")
    void asManyTokensAsChannels(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 13);
        Linear q = Linear.random(seeded, "q", 8, 8, false);
        Linear k = Linear.random(seeded, "k", 8, 8, false);
        NDArray x = seeded.normal("x", 1, 1, 8, 8);
        AttentionMask mask = AttentionMask.none();

        NDArray read = AttentionMaps.extract(REFERENCE, q, k, 2, 2, null, x, mask);

        assertThat(read).named("weights read out").against("weights computed directly").isCloseTo(
                DirectAttention.weights(q, k, 2, 2, null, x, mask), EXTRACTION);
    }

    @Test
    @DisplayName("a mask broadcast over queries shows as weight on pad keys, where the reference has none")
    void revealsAMaskOnTheQueryAxis(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 14);
        Linear q = Linear.random(seeded, "q", 16, 16, true);
        Linear k = Linear.random(seeded, "k", 16, 16, true);
        NDArray x = seeded.normal("x", 1, 3, 7, 16);
        AttentionMask mask = AttentionMask.padding(seeded.rightPadding(7, 7, 4, 5));

        NDArray reference = AttentionMaps.extract(REFERENCE, q, k, 4, 4, null, x, mask);
        NDArray wrong = AttentionMaps.extract(QUERY_AXIS_MASK, q, k, 4, 4, null, x, mask);

        // item 1 holds 4 tokens: its real queries 0..3 must give the pad keys 4..6 no weight
        NDIndex padKeysOfRealQueries = new NDIndex("1, :, 0:4, 4:7");
        assertThat(reference.get(padKeysOfRealQueries)).named("reference weight on pad keys")
                .isCloseTo(manager.zeros(new Shape(4, 4, 3)), Tolerance.absolute(1e-7));
        float leaked = wrong.get(padKeysOfRealQueries).sum(new int[] {-1}).min().getFloat();
        org.assertj.core.api.Assertions.assertThat(leaked)
                .as("every real query of the query-masked attention puts weight on the pad keys")
                .isGreaterThan(0.05f);
        assertThat(wrong).named("query-masked weights read out").against("its weights computed directly").isCloseTo(
                DirectAttention.weights(q, k, 4, 4, null, x, QueryAxisMaskAttention.bias(x, mask)), EXTRACTION);
    }

    @Test
    @DisplayName("refuses more tokens than channels, naming both")
    void refusesMoreTokensThanChannels(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 15);
        Linear q = Linear.random(seeded, "q", 8, 8, false);
        Linear k = Linear.random(seeded, "k", 8, 8, false);
        NDArray x = seeded.normal("x", 1, 1, 9, 8);

        assertThatThrownBy(() -> AttentionMaps.extract(REFERENCE, q, k, 2, 2, null, x, AttentionMask.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("attention maps can be read out only when the tokens (T = 9) are no more than"
                        + " the model width (C = 8)");
    }

    @Test
    @DisplayName("refuses a batch item whose tokens repeat, since their weights cannot be told apart")
    void refusesRepeatedTokens(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 16);
        Linear q = Linear.random(seeded, "q", 8, 8, false);
        Linear k = Linear.random(seeded, "k", 8, 8, false);
        NDArray token = seeded.normal("x", 1, 1, 1, 8);
        NDArray x = token.concat(seeded.normal("y", 1, 1, 2, 8), 1).concat(token, 1);   // tokens 0 and 3 alike

        assertThatThrownBy(() -> AttentionMaps.extract(REFERENCE, q, k, 2, 2, null, x, AttentionMask.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the tokens of batch item 0 are (nearly) linearly dependent");
    }
}
