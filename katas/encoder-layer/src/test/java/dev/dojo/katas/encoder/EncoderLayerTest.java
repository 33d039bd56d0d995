package dev.dojo.katas.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.probes.BatchIndependence;
import dev.dojo.probes.Causality;
import dev.dojo.probes.GradientFlow;
import dev.dojo.probes.PaddingIndependence;
import dev.dojo.probes.ResidualIdentity;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.FeedForward;
import dev.dojo.reference.GeluFeedForward;
import dev.dojo.reference.LayerNorm;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Norm;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.RmsNorm;
import dev.dojo.reference.SwiGluFeedForward;
import dev.dojo.reference.TransformerBlock;
import dev.dojo.reference.TransformerBlock.Placement;
import dev.dojo.tensor.Autograd;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.encoder.EncoderLayerGolden.HEADS;
import static dev.dojo.katas.encoder.EncoderLayerGolden.MODEL;
import static dev.dojo.katas.encoder.EncoderLayerGolden.SEED;
import static dev.dojo.katas.encoder.EncoderLayerGolden.TOLERANCE;
import static dev.dojo.katas.encoder.EncoderLayerGolden.WIDTH;
import static org.assertj.core.api.Assertions.assertThatList;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Contract:
// - equals torch.nn.TransformerEncoderLayer(norm_first=True) under a causal mask (seeded inputs), without a mask
//   (the stored example), and under every padded layout: right padding, left padding, causal with right padding,
//   causal with left padding (real tokens: PyTorch gives NaN where a query sees no key)
// - equals it on a single token and on a longer padded batch than its example
// - equals the reference pre-norm block for another width and head count (C 24, 3 heads), and with RMSNorm and
//   SwiGLU parts
// - where a query sees no key at all (pads before the first token under a causal mask, a sample that is all
//   padding) the output stays finite
// - in a two-layer model, a left-padded batch under a causal mask gives the reference model's logits at every
//   real token
// - with both sublayers' output projections zeroed, returns its input
// - each sample of a padded batch is computed as if alone; under a causal mask no output reads a later token;
//   real tokens ignore what right or left pads hold, also when the scores are large (q and k weights × 8)
// - every parameter receives a gradient, and a finite one from the real tokens of a left-padded batch under a
//   causal mask (pads before the first token see no key); returns the input's shape and dtype, and leaves the input unchanged
// - an in-projection that is not C → 3C, or heads that do not divide C, are rejected
// B batch, T tokens, C model width, N real tokens, V vocabulary.
@ExtendWith(ScopedManager.class)
class EncoderLayerTest {

    // PyTorch's TransformerEncoderLayer(norm_first=True)

    @Test
    @DisplayName("agrees with torch.nn.TransformerEncoderLayer(norm_first=True) under a causal mask on seeded inputs")
    void matchesPyTorchEncoderLayer(NDManager manager) {
        new EncoderLayerGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its example input, without a mask")
    void matchesPyTorchStoredExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);

        NDArray out = EncoderLayerGolden.goldenLayer(manager).forward(golden.example(manager, "x"), AttentionMask.none());

        assertThat(out).named("Encoder layer output").against("PyTorch's stored output")
                .withAxes("batch", "pos", "dim").isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with PyTorch on a right-padded batch")
    void matchesPyTorchWithRightPadding(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        assertAgreesWithPyTorch(manager, seeded.normal("x", new Shape(3, 7, WIDTH)),
                AttentionMask.padding(seeded.rightPadding(7, 7, 4, 2)));
    }

    @Test
    @DisplayName("agrees with PyTorch on a left-padded batch")
    void matchesPyTorchWithLeftPadding(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        assertAgreesWithPyTorch(manager, seeded.normal("x", new Shape(3, 7, WIDTH)),
                AttentionMask.padding(seeded.leftPadding(7, 7, 4, 2)));
    }

    @Test
    @DisplayName("agrees with PyTorch under a causal mask on a right-padded batch")
    void matchesPyTorchUnderCausalMaskWithRightPadding(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        assertAgreesWithPyTorch(manager, seeded.normal("x", new Shape(3, 7, WIDTH)),
                AttentionMask.causal(seeded.rightPadding(7, 7, 4, 2)));
    }

    @Test
    @DisplayName("agrees with PyTorch on every real token under a causal mask on a left-padded batch")
    void matchesPyTorchUnderCausalMaskWithLeftPadding(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", new Shape(3, 7, WIDTH));                            // (B, T, C)
        NDArray padding = seeded.leftPadding(7, 7, 4, 2);                                  // (B, T)
        AttentionMask mask = AttentionMask.causal(padding);

        NDArray out = EncoderLayerGolden.goldenLayer(manager).forward(x, mask);

        NDArray expected = EncoderLayerGolden.torchLayer(manager, x, mask);                 // NaN where a query sees no key
        assertThat(realTokens(out, padding)).named("Real tokens' encoder layer output, causal, left padding")
                .against("PyTorch's TransformerEncoderLayer(norm_first=True)").withAxes("token", "dim")
                .withSeed(SEED).isCloseTo(realTokens(expected, padding), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with PyTorch on a single token")
    void matchesPyTorchOnASingleToken(NDManager manager) {
        assertAgreesWithPyTorch(manager, Seeded.of(manager, SEED).normal("x", new Shape(2, 1, WIDTH)),
                AttentionMask.causalOnly());
    }

    @Test
    @DisplayName("agrees with PyTorch under a causal mask on a longer padded batch than its example")
    void matchesPyTorchOnALongerBatch(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        assertAgreesWithPyTorch(manager, seeded.normal("x", new Shape(4, 13, WIDTH)),
                AttentionMask.causal(seeded.rightPadding(13, 13, 9, 1, 6)));
    }

    // The reference pre-norm block and model

    @Test
    @DisplayName("agrees with the reference pre-norm block at width 24 with 3 heads")
    void matchesReferenceBlockOfOtherWidth(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        int width = 24;
        Norm norm1 = LayerNorm.random(seeded, "norm1", width);
        Attention attention = Attention.random(seeded, "attention", width, 3, 3, null);
        Norm norm2 = LayerNorm.random(seeded, "norm2", width);
        FeedForward feedForward = GeluFeedForward.random(seeded, "feed_forward", width, 40);
        NDArray x = seeded.normal("x", new Shape(3, 5, width));                            // (B, T, C)
        AttentionMask mask = AttentionMask.causal(seeded.rightPadding(5, 5, 3, 4));

        NDArray out = new EncoderLayer(norm1, EncoderLayerGolden.packed(attention), attention.wo(), 3, norm2,
                feedForward).forward(x, mask);

        assertThat(out).named("Encoder layer output, C 24, 3 heads").against("the reference pre-norm block")
                .withAxes("batch", "pos", "dim").withSeed(SEED)
                .isCloseTo(new TransformerBlock(Placement.PRE_NORM, norm1, attention, norm2, feedForward).forward(x, mask),
                        TOLERANCE);
    }

    @Test
    @DisplayName("agrees with the reference pre-norm block with RMSNorm and SwiGLU parts")
    void matchesReferenceBlockWithRmsNormAndSwiGlu(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Norm norm1 = RmsNorm.random(seeded, "norm1", WIDTH);
        Attention attention = Attention.random(seeded, "attention", WIDTH, 2, 2, null);
        Norm norm2 = RmsNorm.random(seeded, "norm2", WIDTH);
        FeedForward feedForward = SwiGluFeedForward.random(seeded, "mlp", WIDTH, 40);
        NDArray x = seeded.normal("x", new Shape(2, 6, WIDTH));                            // (B, T, C)
        AttentionMask mask = AttentionMask.causalOnly();

        NDArray out = new EncoderLayer(norm1, EncoderLayerGolden.packed(attention), attention.wo(), 2, norm2,
                feedForward).forward(x, mask);

        assertThat(out).named("Encoder layer output, RMSNorm, SwiGLU, 2 heads").against("the reference pre-norm block")
                .withAxes("batch", "pos", "dim").withSeed(SEED)
                .isCloseTo(new TransformerBlock(Placement.PRE_NORM, norm1, attention, norm2, feedForward).forward(x, mask),
                        TOLERANCE);
    }

    @Test
    @DisplayName("gives finite outputs for a sample that is all padding and for pads before the first token")
    void staysFiniteWhereAQuerySeesNoKey(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", new Shape(3, 6, WIDTH));                            // (B, T, C)
        NDArray padding = seeded.leftPadding(6, 6, 3, 1)
                .mul(manager.create(new float[] {1, 1, 0}).reshape(3, 1));                 // (B, T): item 2 all pads

        NDArray out = EncoderLayerGolden.goldenLayer(manager).forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Encoder layer output, causal, left padding, item 2 all pads")
                .withAxes("batch", "pos", "dim").withSeed(SEED).isFinite();
    }

    @Test
    @DisplayName("in a two-layer model, gives the reference model's logits at every real token of a left-padded batch")
    void matchesReferenceTwoLayerModel(NDManager manager) {
        ModelConfig config = ModelConfig.tinyPreNormEncoder();
        Seeded seeded = Seeded.of(manager, SEED);
        Parameters p = config.randomParameters(seeded);
        NDArray tokens = seeded.integers("tokens", config.vocabulary(), 3, 7);             // (B, T)
        NDArray padding = seeded.leftPadding(7, 7, 5, 2);                                  // (B, T)
        AttentionMask mask = AttentionMask.causal(padding);

        NDArray logits = EncoderLayerGolden.kit(config).decoder(p, config).forward(tokens, mask);

        NDArray expected = Kit.reference(config).decoder(p, config).forward(tokens, mask);
        assertThat(realTokens(logits, padding)).named("Real tokens' logits, two layers, causal, left padding")
                .against("the reference model").withAxes("token", "vocab").withSeed(SEED)
                .isCloseTo(realTokens(expected, padding), TOLERANCE);
    }

    // The residual path, samples, pads and tokens

    @Test
    @DisplayName("returns its input when both sublayers' output projections are zeroed")
    void isIdentityWithZeroedSublayers(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Attention attention = Attention.random(seeded, "attention", WIDTH, HEADS, HEADS, null);
        EncoderLayer layer = new EncoderLayer(LayerNorm.random(seeded, "norm1", WIDTH),
                EncoderLayerGolden.packed(attention), attention.wo().zeroed(), HEADS,
                LayerNorm.random(seeded, "norm2", WIDTH),
                GeluFeedForward.random(seeded, "feed_forward", WIDTH, 32).withZeroedOutput());

        assertThat(ResidualIdentity.preNorm(layer, seeded, 2, 6, WIDTH)).holds();
    }

    @Test
    @DisplayName("computes each sample of a right-padded batch as if it were alone, under a causal mask")
    void keepsSamplesIndependent(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", new Shape(3, 6, WIDTH));                            // (B, T, C)

        assertThat(BatchIndependence.check(EncoderLayerGolden.goldenLayer(manager)::forward, x,
                seeded.rightPadding(6, 6, 4, 5), true, SEED)).holds();
    }

    @Test
    @DisplayName("under a causal mask, leaves every output before a token unchanged when that token changes")
    void seesNoLaterToken(NDManager manager) {
        assertThat(Causality.check(EncoderLayerGolden.goldenLayer(manager)::forward, Seeded.of(manager, SEED), 2, 8,
                WIDTH, 4)).holds();
    }

    @Test
    @DisplayName("gives a real token the same output whatever the right pads hold")
    void ignoresWhatRightPadsHold(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", new Shape(3, 6, WIDTH));                            // (B, T, C)

        assertThat(PaddingIndependence.check(EncoderLayerGolden.goldenLayer(manager)::forward, x,
                seeded.rightPadding(6, 6, 3, 4), false, seeded)).holds();
    }

    @Test
    @DisplayName("gives a real token the same output whatever the left pads hold, under a causal mask")
    void ignoresWhatLeftPadsHold(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", new Shape(3, 6, WIDTH));                            // (B, T, C)

        assertThat(PaddingIndependence.check(EncoderLayerGolden.goldenLayer(manager)::forward, x,
                seeded.leftPadding(6, 6, 3, 4), true, seeded)).holds();
    }

    @Test
    @DisplayName("gives a real token the same output whatever the pads hold when the scores are large (q and k weights × 8)")
    void ignoresWhatPadsHoldWithLargeScores(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Map<String, NDArray> sharp = new LinkedHashMap<>(GoldenModel.named(MODEL).parameters(manager).byName());
        NDArray inProj = sharp.get("self_attn.in_proj_weight");                             // (3C, C): rows q, k, v
        NDArray scale = manager.create(new float[] {8, 8, 1}).repeat(0, WIDTH).reshape(3 * WIDTH, 1);   // (3C, 1)
        sharp.put("self_attn.in_proj_weight", inProj.mul(scale));
        NDArray x = seeded.normal("x", new Shape(3, 6, WIDTH));                            // (B, T, C)

        assertThat(PaddingIndependence.check(EncoderLayerGolden.layer(new Parameters(sharp))::forward, x,
                seeded.rightPadding(6, 6, 3, 4), false, seeded)).holds();
    }

    @Test
    @DisplayName("gives every parameter a gradient")
    void letsEveryParameterLearn(NDManager manager) {
        assertThat(new GradientFlow().check(new EncoderLayerGolden().kit(), manager, SEED)).holds();
    }

    @Test
    @DisplayName("gives every parameter a finite gradient from the real tokens of a left-padded batch, under a causal mask")
    void learnsFromALeftPaddedBatch(NDManager manager) {
        ModelConfig config = ModelConfig.tinyPreNormEncoder();
        Seeded seeded = Seeded.of(manager, SEED);
        Parameters p = config.layerParameters(seeded, "");
        NDArray x = seeded.normal("x", new Shape(2, 6, WIDTH));                            // (B, T, C)
        NDArray weights = seeded.normal("loss-weights", new Shape(2, 6, WIDTH));           // (B, T, C)
        NDArray padding = seeded.leftPadding(6, 6, 3);                                     // (B, T)
        List<String> names = new ArrayList<>(p.byName().keySet());

        List<NDArray> gradients = Autograd.gradients(new ArrayList<>(p.byName().values()), leaves -> {
            Map<String, NDArray> byName = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                byName.put(names.get(i), leaves.get(i));
            }
            NDArray out = EncoderLayerGolden.kit(config).block(new Parameters(byName), config)
                    .forward(x, AttentionMask.causal(padding));                            // (B, T, C)
            return out.mul(weights).mul(padding.expandDims(-1)).sum();                     // the real tokens' loss
        });

        List<String> notFinite = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            for (float g : gradients.get(i).toFloatArray()) {
                if (!Float.isFinite(g)) {
                    notFinite.add(names.get(i));
                    break;
                }
            }
        }
        assertThatList(notFinite).as("parameters with a NaN or Inf gradient, causal, left padding").isEmpty();
    }

    // Shape, input and construction

    @Test
    @DisplayName("returns the residual stream's shape and dtype")
    void keepsShape(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", new Shape(2, 3, WIDTH));          // (B, T, C)

        NDArray out = EncoderLayerGolden.goldenLayer(manager).forward(x, AttentionMask.none());

        org.assertj.core.api.Assertions.assertThat(out.getShape()).isEqualTo(x.getShape());
        org.assertj.core.api.Assertions.assertThat(out.getDataType()).isEqualTo(x.getDataType());
    }

    @Test
    @DisplayName("leaves the caller's input tensor unchanged")
    void leavesInputUnchanged(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", new Shape(2, 6, WIDTH));          // (B, T, C)
        NDArray before = x.duplicate();

        EncoderLayerGolden.goldenLayer(manager).forward(x, AttentionMask.causalOnly());

        assertThat(x).named("Input after the call").against("the input before it").withAxes("batch", "pos", "dim")
                .withSeed(SEED).isCloseTo(before, TOLERANCE);
    }

    @Test
    @DisplayName("rejects an in-projection that does not map C to 3C, naming both")
    void rejectsAnInProjectionOfAnotherSize(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Linear inProj = Linear.random(seeded, "in_proj", WIDTH, 2 * WIDTH, true);
        Linear outProj = Linear.random(seeded, "out_proj", WIDTH, WIDTH, true);
        Norm norm = LayerNorm.random(seeded, "norm", WIDTH);

        assertThatThrownBy(() -> new EncoderLayer(norm, inProj, outProj, HEADS, norm,
                GeluFeedForward.random(seeded, "ff", WIDTH, 32)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(16)").hasMessageContaining("32");
    }

    @Test
    @DisplayName("rejects a number of heads that does not divide the width, naming both")
    void rejectsHeadsThatDoNotDivideTheWidth(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Linear inProj = Linear.random(seeded, "in_proj", WIDTH, 3 * WIDTH, true);
        Linear outProj = Linear.random(seeded, "out_proj", WIDTH, WIDTH, true);
        Norm norm = LayerNorm.random(seeded, "norm", WIDTH);

        assertThatThrownBy(() -> new EncoderLayer(norm, inProj, outProj, 3, norm,
                GeluFeedForward.random(seeded, "ff", WIDTH, 32)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heads (3)")
                .hasMessageContaining("width (16)");
    }

    private static void assertAgreesWithPyTorch(NDManager manager, NDArray x, AttentionMask mask) {
        NDArray out = EncoderLayerGolden.goldenLayer(manager).forward(x, mask);

        assertThat(out).named("Encoder layer output, causal " + mask.causal() + ", "
                        + (mask.padding() == null ? "no" : "with") + " padding")
                .against("PyTorch's TransformerEncoderLayer(norm_first=True)").withAxes("batch", "pos", "dim")
                .withSeed(SEED).isCloseTo(EncoderLayerGolden.torchLayer(manager, x, mask), TOLERANCE);
    }

    /** The rows of {@code out} (B, T, F) at real tokens, as (N, F). */
    private static NDArray realTokens(NDArray out, NDArray padding) {
        long features = out.getShape().get(2);
        NDArray real = padding.eq(1).expandDims(-1).broadcast(out.getShape());            // (B, T, F)
        return out.booleanMask(real).reshape(-1, features);                                // (N, F)
    }
}
