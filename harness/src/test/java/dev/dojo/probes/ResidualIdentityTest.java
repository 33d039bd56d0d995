package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.junit.ScopedManager;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Block;
import dev.dojo.reference.FeedForward;
import dev.dojo.reference.GeluFeedForward;
import dev.dojo.reference.LayerNorm;
import dev.dojo.reference.Norm;
import dev.dojo.reference.RmsNorm;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.reference.SelfAttention;
import dev.dojo.reference.SwiGluFeedForward;
import dev.dojo.reference.TransformerBlock;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.probes.ProbeFixtures.assertFailsNaming;

/** The residual-identity probe holds on the reference blocks and fails on misplaced norms and residuals. */
@ExtendWith(ScopedManager.class)
class ResidualIdentityTest {
    private static final int WIDTH = 16;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    @DisplayName("holds on the reference pre-norm block (LayerNorm, MHA, GELU) with zeroed sublayers")
    void holdsOnPreNorm(long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        Norm norm1 = LayerNorm.random(seeded, "norm1", WIDTH);
        Norm norm2 = LayerNorm.random(seeded, "norm2", WIDTH);
        TransformerBlock block = new TransformerBlock(TransformerBlock.Placement.PRE_NORM, norm1,
                Attention.random(seeded, "attention", WIDTH, 4, 4, null).withZeroedOutput(), norm2,
                GeluFeedForward.random(seeded, "feed_forward", WIDTH, 32).withZeroedOutput());

        assertThat(ResidualIdentity.preNorm(block, seeded, 2, 5, WIDTH)).holds();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    @DisplayName("holds on a Llama-style pre-norm block (RMSNorm, GQA with RoPE, SwiGLU) with zeroed sublayers")
    void holdsOnLlamaPreNorm(long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        TransformerBlock block = new TransformerBlock(TransformerBlock.Placement.PRE_NORM,
                RmsNorm.random(seeded, "input_layernorm", WIDTH),
                Attention.random(seeded, "self_attn", WIDTH, 4, 2, new RotaryEmbedding(4, 10_000,
                        RopePairing.HALF_SPLIT)).withZeroedOutput(),
                RmsNorm.random(seeded, "post_attention_layernorm", WIDTH),
                SwiGluFeedForward.random(seeded, "mlp", WIDTH, 40).withZeroedOutput());

        assertThat(ResidualIdentity.preNorm(block, seeded, 2, 5, WIDTH)).holds();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    @DisplayName("holds on the reference post-norm block with zeroed sublayers: it returns norm2(norm1(x))")
    void holdsOnPostNorm(long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        Norm norm1 = LayerNorm.random(seeded, "norm1", WIDTH);
        Norm norm2 = LayerNorm.random(seeded, "norm2", WIDTH);
        TransformerBlock block = new TransformerBlock(TransformerBlock.Placement.POST_NORM, norm1,
                Attention.random(seeded, "attention", WIDTH, 4, 4, null).withZeroedOutput(), norm2,
                GeluFeedForward.random(seeded, "feed_forward", WIDTH, 32).withZeroedOutput());

        assertThat(ResidualIdentity.postNorm(block, norm1, norm2, seeded, 2, 5, WIDTH)).holds();
    }

    @Test
    @DisplayName("fails on a pre-norm block that normalizes the residual stream, naming probe and property")
    void failsWhenResidualStreamIsNormalized(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 7);
        Block block = new NormalizedStreamBlock(LayerNorm.random(seeded, "norm1", WIDTH),
                Attention.random(seeded, "attention", WIDTH, 4, 4, null).withZeroedOutput(),
                LayerNorm.random(seeded, "norm2", WIDTH),
                GeluFeedForward.random(seeded, "feed_forward", WIDTH, 32).withZeroedOutput());

        ProbeResult result = ResidualIdentity.preNorm(block, seeded, 2, 5, WIDTH);

        assertFailsNaming(result, "✗ residual identity: with its sublayers' output projections zeroed, a pre-norm block"
                + " must return its input unchanged\n  Block output diverges from the block's input\n");
    }

    @Test
    @DisplayName("fails on a post-norm block that drops the residual around attention, naming probe and property")
    void failsWhenPostNormDropsResidual(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 7);
        Norm norm1 = LayerNorm.random(seeded, "norm1", WIDTH);
        Norm norm2 = LayerNorm.random(seeded, "norm2", WIDTH);
        Block block = new NoResidualPostNormBlock(norm1,
                Attention.random(seeded, "attention", WIDTH, 4, 4, null).withZeroedOutput(), norm2,
                GeluFeedForward.random(seeded, "feed_forward", WIDTH, 32).withZeroedOutput());

        ProbeResult result = ResidualIdentity.postNorm(block, norm1, norm2, seeded, 2, 5, WIDTH);

        assertFailsNaming(result, "✗ residual identity: with its sublayers' output projections zeroed, a post-norm block"
                + " must return norm2(norm1(x))\n  Block output diverges from norm2(norm1(input))\n");
    }

    /** Pre-norm with the norms on the residual stream itself: x = norm(x) + f(norm(x)). */
    private record NormalizedStreamBlock(Norm norm1, SelfAttention attention, Norm norm2, FeedForward feedForward)
            implements Block {
        @Override
        public NDArray forward(NDArray x, AttentionMask mask) {    // x: (B, T, C)
            x = norm1.forward(x);
            x = x.add(attention.forward(x, mask));
            x = norm2.forward(x);
            return x.add(feedForward.forward(x));
        }
    }

    /** Post-norm without the residual around attention: norm1(f(x)). */
    private record NoResidualPostNormBlock(Norm norm1, SelfAttention attention, Norm norm2, FeedForward feedForward)
            implements Block {
        @Override
        public NDArray forward(NDArray x, AttentionMask mask) {    // x: (B, T, C)
            x = norm1.forward(attention.forward(x, mask));
            return norm2.forward(x.add(feedForward.forward(x)));
        }
    }
}
