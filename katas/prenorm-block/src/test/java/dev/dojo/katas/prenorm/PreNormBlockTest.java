package dev.dojo.katas.prenorm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.probes.BatchIndependence;
import dev.dojo.probes.Causality;
import dev.dojo.probes.PaddingIndependence;
import dev.dojo.probes.ResidualIdentity;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.FeedForward;
import dev.dojo.reference.GeluFeedForward;
import dev.dojo.reference.LayerNorm;
import dev.dojo.reference.Norm;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.SelfAttention;
import dev.dojo.reference.TransformerBlock;
import dev.dojo.reference.TransformerBlock.Placement;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.prenorm.PreNormBlockGolden.SEED;
import static dev.dojo.katas.prenorm.PreNormBlockGolden.TOLERANCE;
import static dev.dojo.katas.prenorm.PreNormBlockGolden.WIDTH;

// Contract:
// - equals torch.nn.TransformerEncoderLayer(norm_first=True) without a mask: seeded inputs and the stored example
// - equals it under every mask layout: causal only; right padding; left padding; causal with right padding;
//   causal with left padding (real tokens)
// - equals it for other batch sizes and lengths: a single token, a long padded batch
// - equals the reference pre-norm block for another width and head count (C 24, 3 heads)
// - equals the reference pre-norm block with Llama parts (RMSNorm, grouped-query attention with RoPE, SwiGLU),
//   and a two-layer Llama-shaped decoder built from it equals the reference decoder
// - with both sublayers' output projections zeroed, returns its input (LayerNorm and RMSNorm)
// - each sample of a padded batch is computed as if alone; under a causal mask no output reads a later token;
//   real tokens ignore what right or left pads hold
// - a sample that is all padding gets finite outputs
// - returns the input's shape and dtype, and leaves the caller's input tensor unchanged
// B batch, T tokens, C model width, N real tokens.
@ExtendWith(ScopedManager.class)
class PreNormBlockTest {

    // PyTorch's TransformerEncoderLayer(norm_first=True)

    @Test
    @DisplayName("agrees with torch.nn.TransformerEncoderLayer(norm_first=True) on seeded inputs")
    void matchesPyTorchEncoderLayer(NDManager manager) {
        new PreNormBlockGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its example input")
    void matchesPyTorchStoredExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(PreNormBlockGolden.MODEL);
        PreNormBlock block = PreNormBlockGolden.block(golden.parameters(manager));

        NDArray out = block.forward(golden.example(manager, "x"), AttentionMask.none());

        assertThat(out).named("Block output").against("PyTorch's stored output").withAxes("batch", "pos", "dim")
                .isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with PyTorch under a causal mask")
    void matchesPyTorchUnderCausalMask(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", new Shape(2, 7, WIDTH));          // (B, T, C)
        AttentionMask mask = AttentionMask.causalOnly();

        NDArray out = goldenBlock(manager).forward(x, mask);

        assertAgreesWithPyTorch(out, PreNormBlockGolden.torchLayer(manager, x, mask));
    }

    @Test
    @DisplayName("agrees with PyTorch on a right-padded batch")
    void matchesPyTorchWithRightPadding(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", new Shape(3, 7, WIDTH));                            // (B, T, C)
        AttentionMask mask = AttentionMask.padding(seeded.rightPadding(7, 7, 4, 2));

        NDArray out = goldenBlock(manager).forward(x, mask);

        assertAgreesWithPyTorch(out, PreNormBlockGolden.torchLayer(manager, x, mask));
    }

    @Test
    @DisplayName("agrees with PyTorch on a left-padded batch")
    void matchesPyTorchWithLeftPadding(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", new Shape(3, 7, WIDTH));                            // (B, T, C)
        AttentionMask mask = AttentionMask.padding(seeded.leftPadding(7, 7, 4, 2));

        NDArray out = goldenBlock(manager).forward(x, mask);

        assertAgreesWithPyTorch(out, PreNormBlockGolden.torchLayer(manager, x, mask));
    }

    @Test
    @DisplayName("agrees with PyTorch under a causal mask on a right-padded batch")
    void matchesPyTorchUnderCausalMaskWithRightPadding(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", new Shape(3, 7, WIDTH));                            // (B, T, C)
        AttentionMask mask = AttentionMask.causal(seeded.rightPadding(7, 7, 4, 2));

        NDArray out = goldenBlock(manager).forward(x, mask);

        assertAgreesWithPyTorch(out, PreNormBlockGolden.torchLayer(manager, x, mask));
    }

    @Test
    @DisplayName("agrees with PyTorch on every real token under a causal mask on a left-padded batch")
    void matchesPyTorchUnderCausalMaskWithLeftPadding(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", new Shape(3, 7, WIDTH));                            // (B, T, C)
        NDArray padding = seeded.leftPadding(7, 7, 4, 2);                                  // (B, T)
        AttentionMask mask = AttentionMask.causal(padding);
        NDArray real = padding.eq(1).expandDims(-1).broadcast(x.getShape());               // (B, T, C)

        NDArray out = goldenBlock(manager).forward(x, mask);

        // PyTorch gives NaN where a leading pad sees no key at all, so only the real tokens are compared.
        NDArray expected = PreNormBlockGolden.torchLayer(manager, x, mask);
        NDArray realOut = out.booleanMask(real).reshape(-1, WIDTH);                        // (N, C)
        NDArray realExpected = expected.booleanMask(real).reshape(-1, WIDTH);              // (N, C)
        assertThat(realOut).named("Real tokens' block output")
                .against("PyTorch's TransformerEncoderLayer(norm_first=True)").withAxes("token", "dim")
                .withSeed(SEED).isCloseTo(realExpected, TOLERANCE);
    }

    @Test
    @DisplayName("agrees with PyTorch on a single token")
    void matchesPyTorchOnSingleToken(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", new Shape(2, 1, WIDTH));          // (B, 1, C)
        AttentionMask mask = AttentionMask.causalOnly();

        NDArray out = goldenBlock(manager).forward(x, mask);

        assertAgreesWithPyTorch(out, PreNormBlockGolden.torchLayer(manager, x, mask));
    }

    @Test
    @DisplayName("agrees with PyTorch on a longer batch of padded sequences than its example")
    void matchesPyTorchOnLongerBatch(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", new Shape(4, 13, WIDTH));                           // (B, T, C)
        AttentionMask mask = AttentionMask.causal(seeded.rightPadding(13, 13, 9, 1, 6));

        NDArray out = goldenBlock(manager).forward(x, mask);

        assertAgreesWithPyTorch(out, PreNormBlockGolden.torchLayer(manager, x, mask));
    }

    // The reference pre-norm block and model, for other shapes and parts

    @Test
    @DisplayName("agrees with the reference pre-norm block at width 24 with 3 heads")
    void matchesReferenceBlockOfOtherWidth(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        int width = 24;
        Norm norm1 = LayerNorm.random(seeded, "norm1", width);
        SelfAttention attention = Attention.random(seeded, "attention", width, 3, 3, null);
        Norm norm2 = LayerNorm.random(seeded, "norm2", width);
        FeedForward feedForward = GeluFeedForward.random(seeded, "feed_forward", width, 40);
        NDArray x = seeded.normal("x", new Shape(3, 5, width));                            // (B, T, C)
        AttentionMask mask = AttentionMask.causal(seeded.rightPadding(5, 5, 3, 4));

        NDArray out = new PreNormBlock(norm1, attention, norm2, feedForward).forward(x, mask);

        NDArray expected = new TransformerBlock(Placement.PRE_NORM, norm1, attention, norm2, feedForward)
                .forward(x, mask);
        assertThat(out).named("Block output").against("the reference pre-norm block").withAxes("batch", "pos", "dim")
                .withSeed(SEED).isCloseTo(expected, TOLERANCE);
    }

    @Test
    @DisplayName("agrees with the reference Llama block: RMSNorm, grouped-query attention with RoPE, SwiGLU")
    void matchesReferenceLlamaBlock(NDManager manager) {
        ModelConfig config = ModelConfig.tinyLlama();
        Seeded seeded = Seeded.of(manager, SEED);
        Parameters p = config.layerParameters(seeded, "");
        NDArray x = seeded.normal("x", new Shape(2, 7, config.width()));                   // (B, T, C)
        AttentionMask mask = AttentionMask.causal(seeded.leftPadding(7, 7, 5));

        NDArray out = PreNormBlockGolden.kit(config).block(p, config).forward(x, mask);

        NDArray expected = Kit.reference(config).block(p, config).forward(x, mask);
        assertThat(out).named("Block output").against("the reference Llama block").withAxes("batch", "pos", "dim")
                .withSeed(SEED).isCloseTo(expected, TOLERANCE);
    }

    @Test
    @DisplayName("gives a two-layer Llama-shaped model the reference model's logits")
    void matchesReferenceLlamaModel(NDManager manager) {
        ModelConfig config = ModelConfig.tinyLlama();
        Seeded seeded = Seeded.of(manager, SEED);
        Parameters p = config.randomParameters(seeded);
        NDArray tokens = seeded.integers("tokens", config.vocabulary(), 2, 7);             // (B, T)
        AttentionMask mask = AttentionMask.causal(seeded.rightPadding(7, 7, 5));

        NDArray logits = PreNormBlockGolden.kit(config).decoder(p, config).forward(tokens, mask);

        NDArray expected = Kit.reference(config).decoder(p, config).forward(tokens, mask);
        assertThat(logits).named("Logits").against("the reference Llama model").withAxes("batch", "pos", "vocab")
                .withSeed(SEED).isCloseTo(expected, TOLERANCE);
    }

    // The residual path

    @Test
    @DisplayName("returns its input when every sublayer's output projection is zeroed")
    void isIdentityWithZeroedSublayers(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        PreNormBlock block = new PreNormBlock(LayerNorm.random(seeded, "norm1", WIDTH),
                Attention.random(seeded, "attention", WIDTH, 4, 4, null).withZeroedOutput(),
                LayerNorm.random(seeded, "norm2", WIDTH),
                GeluFeedForward.random(seeded, "feed_forward", WIDTH, 32).withZeroedOutput());

        assertThat(ResidualIdentity.preNorm(block, seeded, 2, 6, WIDTH)).holds();
    }

    @Test
    @DisplayName("returns its input when every sublayer's output projection is zeroed, with Llama parts")
    void isIdentityWithZeroedLlamaSublayers(NDManager manager) {
        Kit kit = PreNormBlockGolden.kit(ModelConfig.tinyLlama());

        assertThat(new ResidualIdentity().check(kit, manager, SEED)).holds();
    }

    // What each output may read

    @Test
    @DisplayName("computes each sample of a padded batch as if it were alone")
    void keepsSamplesIndependent(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", new Shape(3, 6, WIDTH));                            // (B, T, C)
        NDArray padding = seeded.rightPadding(6, 6, 4, 5);                                 // (B, T)

        assertThat(BatchIndependence.check(goldenBlock(manager)::forward, x, padding, true, SEED)).holds();
    }

    @Test
    @DisplayName("under a causal mask, leaves every output before a token unchanged when that token changes")
    void keepsCausalOrder(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);

        assertThat(Causality.check(goldenBlock(manager)::forward, seeded, 2, 8, WIDTH, 4)).holds();
    }

    @Test
    @DisplayName("gives a real token the same output whatever the right pads hold")
    void ignoresWhatRightPadsHold(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", new Shape(3, 6, WIDTH));                            // (B, T, C)
        NDArray padding = seeded.rightPadding(6, 6, 3, 4);                                 // (B, T)

        assertThat(PaddingIndependence.check(goldenBlock(manager)::forward, x, padding, false, seeded)).holds();
    }

    @Test
    @DisplayName("gives a real token the same output whatever the left pads hold, under a causal mask")
    void ignoresWhatLeftPadsHold(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", new Shape(3, 6, WIDTH));                            // (B, T, C)
        NDArray padding = seeded.leftPadding(6, 6, 3, 4);                                  // (B, T)

        assertThat(PaddingIndependence.check(goldenBlock(manager)::forward, x, padding, true, seeded)).holds();
    }

    @Test
    @DisplayName("gives finite outputs for a sample that is all padding")
    void keepsFullyPaddedSampleFinite(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", new Shape(2, 6, WIDTH));                            // (B, T, C)
        NDArray padding = seeded.rightPadding(6, 6).concat(manager.zeros(new Shape(1, 6)), 0);   // (B, T)

        NDArray out = goldenBlock(manager).forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Block output for a batch whose sample 1 is all padding").withAxes("batch", "pos", "dim")
                .withSeed(SEED).isFinite();
    }

    // Shape and input

    @Test
    @DisplayName("returns the residual stream's shape and dtype")
    void keepsShape(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", new Shape(2, 3, WIDTH));          // (B, T, C)

        NDArray out = goldenBlock(manager).forward(x, AttentionMask.none());

        org.assertj.core.api.Assertions.assertThat(out.getShape()).isEqualTo(x.getShape());
        org.assertj.core.api.Assertions.assertThat(out.getDataType()).isEqualTo(x.getDataType());
    }

    @Test
    @DisplayName("leaves the caller's input tensor unchanged")
    void leavesInputUnchanged(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", new Shape(2, 6, WIDTH));          // (B, T, C)
        NDArray before = x.duplicate();

        goldenBlock(manager).forward(x, AttentionMask.causalOnly());

        assertThat(x).named("Input after the call").against("the input before it").withAxes("batch", "pos", "dim")
                .withSeed(SEED).isCloseTo(before, TOLERANCE);
    }

    private static PreNormBlock goldenBlock(NDManager manager) {
        return PreNormBlockGolden.block(GoldenModel.named(PreNormBlockGolden.MODEL).parameters(manager));
    }

    private static void assertAgreesWithPyTorch(NDArray out, NDArray expected) {
        assertThat(out).named("Block output").against("PyTorch's TransformerEncoderLayer(norm_first=True)")
                .withAxes("batch", "pos", "dim").withSeed(SEED).isCloseTo(expected, TOLERANCE);
    }
}
