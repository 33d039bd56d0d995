package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.junit.ScopedManager;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.GeluFeedForward;
import dev.dojo.reference.LayerNorm;
import dev.dojo.reference.TransformerBlock;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.probes.ProbeFixtures.assertFailsNaming;
import static dev.dojo.probes.ProbeFixtures.lengths;

/** The padding-independence probe holds on reference attention and blocks, and fails when queries are masked instead of keys. */
@ExtendWith(ScopedManager.class)
class PaddingIndependenceTest {
    private static final int WIDTH = 16;
    private static final int TOKENS = 6;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    @DisplayName("holds on reference attention with a padding mask")
    void holdsOnAttention(long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        Attention attention = Attention.random(seeded, "attention", WIDTH, 4, 4, null);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);
        NDArray padding = seeded.rightPadding(TOKENS, lengths(seeded, 3, TOKENS));

        assertThat(PaddingIndependence.check(attention::forward, x, padding, false, seeded)).holds();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    @DisplayName("holds on a reference post-norm block with causal and padding masks")
    void holdsOnCausalBlock(long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        TransformerBlock block = new TransformerBlock(TransformerBlock.Placement.POST_NORM,
                LayerNorm.random(seeded, "norm1", WIDTH), Attention.random(seeded, "attention", WIDTH, 4, 4, null),
                LayerNorm.random(seeded, "norm2", WIDTH), GeluFeedForward.random(seeded, "feed_forward", WIDTH, 32));
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);
        NDArray padding = seeded.rightPadding(TOKENS, lengths(seeded, 3, TOKENS));

        assertThat(PaddingIndependence.check(block::forward, x, padding, true, seeded)).holds();
    }

    @Test
    @DisplayName("fails on attention that masks queries instead of keys, naming probe, property and the padded items")
    void failsWhenQueriesAreMasked(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 7);
        QueryMaskedAttention attention = new QueryMaskedAttention(Attention.random(seeded, "attention", WIDTH, 4, 4, null));
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);
        NDArray padding = seeded.rightPadding(TOKENS, 6, 4, 2);

        ProbeResult result = PaddingIndependence.check(attention::forward, x, padding, false, seeded);

        assertFailsNaming(result, "✗ padding independence: changing what the pad tokens hold must leave every real"
                + " token's output unchanged\n  Real tokens' output with the pads redrawn diverges from their output before\n");
        org.assertj.core.api.Assertions.assertThat(result.report()).contains("diverges at batch 1, 2; matches at 0");
    }

    /** Multi-head attention whose padding bias is laid out (B, 1, T, 1), over queries, instead of (B, 1, 1, T). */
    private record QueryMaskedAttention(Attention weights) {
        NDArray forward(NDArray x, AttentionMask mask) {                                  // x: (B, T, C)
            long batch = x.getShape().get(0);
            long tokens = x.getShape().get(1);
            NDArray q = heads(weights.wq().forward(x));                                   // (B, H, T, D)
            NDArray k = heads(weights.wk().forward(x));                                   // (B, H, T, D)
            NDArray v = heads(weights.wv().forward(x));                                   // (B, H, T, D)
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(weights.headSize()));  // (B, H, T, T)
            NDArray pads = mask.padding().neg().add(1f).mul(AttentionMask.MASKED);       // (B, T)
            scores = scores.add(pads.reshape(batch, 1, tokens, 1));
            NDArray context = scores.softmax(-1).matMul(v);                               // (B, H, T, D)
            return weights.wo().forward(context.transpose(0, 2, 1, 3).reshape(batch, tokens, -1));  // (B, T, C)
        }

        private NDArray heads(NDArray x) {                                                // (B, T, C) → (B, H, T, D)
            return x.reshape(x.getShape().get(0), x.getShape().get(1), weights.heads(), weights.headSize())
                    .transpose(0, 2, 1, 3);
        }
    }
}
