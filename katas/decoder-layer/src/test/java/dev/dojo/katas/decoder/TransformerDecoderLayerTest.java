package dev.dojo.katas.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.probes.DecoderCausality;
import dev.dojo.probes.MemoryPaddingIndependence;
import dev.dojo.probes.PaddingIndependence;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.FeedForward;
import dev.dojo.reference.GeluFeedForward;
import dev.dojo.reference.LayerNorm;
import dev.dojo.reference.Norm;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.TransformerBlock.Placement;
import dev.dojo.reference.TransformerDecoderBlock;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.decoder.TransformerDecoderLayerGolden.BATCH;
import static dev.dojo.katas.decoder.TransformerDecoderLayerGolden.MEMORY_TOKENS;
import static dev.dojo.katas.decoder.TransformerDecoderLayerGolden.POST_NORM_MODEL;
import static dev.dojo.katas.decoder.TransformerDecoderLayerGolden.PRE_NORM_MODEL;
import static dev.dojo.katas.decoder.TransformerDecoderLayerGolden.SEED;
import static dev.dojo.katas.decoder.TransformerDecoderLayerGolden.TOKENS;
import static dev.dojo.katas.decoder.TransformerDecoderLayerGolden.TOLERANCE;
import static dev.dojo.katas.decoder.TransformerDecoderLayerGolden.WIDTH;
import static dev.dojo.katas.decoder.TransformerDecoderLayerGolden.lengths;

// Contract:
// - norm_first=True agrees with torch.nn.TransformerDecoderLayer(norm_first=True) under the causal mask:
//   right-padded targets with a right-padded memory longer than the target (seeded, and PyTorch's stored
//   example), a memory shorter than the target, no pads and no masks on either, a single target token,
//   a larger batch, and the real tokens of a left-padded target (PyTorch leaves a query that sees no key
//   undefined)
// - norm_first=False agrees with torch.nn.TransformerDecoderLayer(norm_first=False) on PyTorch's stored
//   example, seeded padded batches with a memory longer or shorter than the target, and a left-padded target
// - both agree with the reference decoder block at another width and head count (C 24, 3 heads), and with
//   RMSNorm, SwiGLU and a grouped-query cross-attention (4 heads, 2 KV heads)
// - every target position reads the memory: changing the memory's real tokens changes every output
// - with the memory fixed, no output reads a later target token; no output reads what the memory's pads
//   or the target's pads hold; each sample of a batch is computed as if alone (memory of another length)
// - a sample whose memory or target is all padding gets finite outputs
// - returns the target's shape and dtype, and leaves the caller's tensors unchanged
// B batch, T target tokens, S memory tokens, C model width.
@ExtendWith(ScopedManager.class)
class TransformerDecoderLayerTest {

    // PyTorch's TransformerDecoderLayer(norm_first=True)

    @Test
    @DisplayName("norm_first=True: agrees with torch.nn.TransformerDecoderLayer on padded targets and a longer padded memory")
    void matchesPyTorchPreNorm(NDManager manager) {
        new TransformerDecoderLayerGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("norm_first=True: agrees with the output PyTorch stored for its example")
    void matchesPyTorchStoredPreNormExample(NDManager manager) {
        assertAgreesWithStoredExample(manager, PRE_NORM_MODEL);
    }

    @Test
    @DisplayName("norm_first=True: agrees with PyTorch when the memory is shorter than the target")
    void matchesPyTorchPreNormWithShortMemory(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray tgt = seeded.normal("tgt", 1, 2, 8, WIDTH);                                   // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, 2, 3, WIDTH);                             // (B, S, C)
        NDArray tgtPadding = seeded.rightPadding(8, 8, 5);                                    // (B, T)

        NDArray out = layer(manager, PRE_NORM_MODEL).forward(tgt, memory, AttentionMask.causal(tgtPadding),
                AttentionMask.none());

        assertAgreesWithPyTorch(out, torch(manager, PRE_NORM_MODEL, tgt, memory, tgtPadding, null), PRE_NORM_MODEL);
    }

    @Test
    @DisplayName("norm_first=True: agrees with PyTorch on a batch without pads, given the causal mask alone")
    void matchesPyTorchPreNormWithoutPads(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray tgt = seeded.normal("tgt", 1, BATCH, 4, WIDTH);                               // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, BATCH, 7, WIDTH);                         // (B, S, C)

        NDArray out = layer(manager, PRE_NORM_MODEL).forward(tgt, memory, AttentionMask.causalOnly(),
                AttentionMask.none());

        assertAgreesWithPyTorch(out, torch(manager, PRE_NORM_MODEL, tgt, memory, null, null), PRE_NORM_MODEL);
    }

    @Test
    @DisplayName("norm_first=True: agrees with PyTorch on a single target token, the first step of decoding")
    void matchesPyTorchPreNormOnSingleToken(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray tgt = seeded.normal("tgt", 1, 2, 1, WIDTH);                                   // (B, 1, C)
        NDArray memory = seeded.normal("memory", 1, 2, 6, WIDTH);                             // (B, S, C)
        NDArray memoryPadding = seeded.rightPadding(6, 6, 2);                                 // (B, S)

        NDArray out = layer(manager, PRE_NORM_MODEL).forward(tgt, memory, AttentionMask.causalOnly(),
                AttentionMask.padding(memoryPadding));

        assertAgreesWithPyTorch(out, torch(manager, PRE_NORM_MODEL, tgt, memory, null, memoryPadding),
                PRE_NORM_MODEL);
    }

    @Test
    @DisplayName("norm_first=True: agrees with PyTorch on a larger padded batch than its example")
    void matchesPyTorchPreNormOnLargerBatch(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray tgt = seeded.normal("tgt", 1, 5, 10, WIDTH);                                  // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, 5, 13, WIDTH);                            // (B, S, C)
        NDArray tgtPadding = seeded.rightPadding(10, lengths(seeded, "tgt lengths", 5, 10));  // (B, T)
        NDArray memoryPadding = seeded.rightPadding(13, lengths(seeded, "memory lengths", 5, 13));  // (B, S)

        NDArray out = layer(manager, PRE_NORM_MODEL).forward(tgt, memory, AttentionMask.causal(tgtPadding),
                AttentionMask.padding(memoryPadding));

        assertAgreesWithPyTorch(out, torch(manager, PRE_NORM_MODEL, tgt, memory, tgtPadding, memoryPadding),
                PRE_NORM_MODEL);
    }

    @Test
    @DisplayName("norm_first=True: agrees with PyTorch on the real tokens of a target padded on the left")
    void matchesPyTorchPreNormOnLeftPaddedTarget(NDManager manager) {
        assertAgreesOnLeftPaddedTarget(manager, PRE_NORM_MODEL);
    }

    // PyTorch's TransformerDecoderLayer(norm_first=False)

    @Test
    @DisplayName("norm_first=False: agrees with the output PyTorch stored for its example")
    void matchesPyTorchStoredPostNormExample(NDManager manager) {
        assertAgreesWithStoredExample(manager, POST_NORM_MODEL);
    }

    @ParameterizedTest(name = "{displayName}: S = {0}")
    @ValueSource(ints = {MEMORY_TOKENS, 4})
    @DisplayName("norm_first=False: agrees with PyTorch on padded targets and a padded memory longer or shorter than the target")
    void matchesPyTorchPostNorm(int memoryTokens, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray tgt = seeded.normal("tgt", 1, BATCH, TOKENS, WIDTH);                          // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, BATCH, memoryTokens, WIDTH);              // (B, S, C)
        NDArray tgtPadding = seeded.rightPadding(TOKENS, lengths(seeded, "tgt lengths", BATCH, TOKENS));  // (B, T)
        NDArray memoryPadding = seeded.rightPadding(memoryTokens,
                lengths(seeded, "memory lengths", BATCH, memoryTokens));                       // (B, S)

        NDArray out = layer(manager, POST_NORM_MODEL).forward(tgt, memory, AttentionMask.causal(tgtPadding),
                AttentionMask.padding(memoryPadding));

        assertAgreesWithPyTorch(out, torch(manager, POST_NORM_MODEL, tgt, memory, tgtPadding, memoryPadding),
                POST_NORM_MODEL);
    }

    @Test
    @DisplayName("norm_first=False: agrees with PyTorch on the real tokens of a target padded on the left")
    void matchesPyTorchPostNormOnLeftPaddedTarget(NDManager manager) {
        assertAgreesOnLeftPaddedTarget(manager, POST_NORM_MODEL);
    }

    // The reference decoder block, for other shapes and parts

    @ParameterizedTest(name = "{displayName}: norm_first={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("agrees with the reference decoder block at width 24 with 3 heads")
    void matchesReferenceBlockOfOtherWidth(boolean normFirst, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        int width = 24;
        Norm norm1 = LayerNorm.random(seeded, "norm1", width);
        Attention selfAttn = Attention.random(seeded, "self_attn", width, 3, 3, null);
        Norm norm2 = LayerNorm.random(seeded, "norm2", width);
        Attention multiheadAttn = Attention.random(seeded, "multihead_attn", width, 3, 3, null);
        Norm norm3 = LayerNorm.random(seeded, "norm3", width);
        FeedForward feedForward = GeluFeedForward.random(seeded, "feed_forward", width, 40);
        NDArray tgt = seeded.normal("tgt", 1, 3, 5, width);                                   // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, 3, 7, width);                             // (B, S, C)
        AttentionMask tgtMask = AttentionMask.causal(seeded.rightPadding(5, 5, 3, 4));
        AttentionMask memoryMask = AttentionMask.padding(seeded.rightPadding(7, 2, 7, 5));

        NDArray out = new TransformerDecoderLayer(normFirst, selfAttn, multiheadAttn, feedForward, norm1, norm2, norm3)
                .forward(tgt, memory, tgtMask, memoryMask);

        NDArray expected = new TransformerDecoderBlock(normFirst ? Placement.PRE_NORM : Placement.POST_NORM, norm1,
                selfAttn, norm2, multiheadAttn, norm3, feedForward).forward(tgt, memory, tgtMask, memoryMask);
        assertThat(out).named("Decoder layer output").against("the reference decoder block")
                .withAxes("batch", "pos", "dim").withSeed(SEED).isCloseTo(expected, TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: norm_first={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("agrees with the reference decoder block with RMSNorm, SwiGLU and a cross-attention of 4 heads over 2 KV heads")
    void matchesReferenceBlockWithOtherParts(boolean normFirst, NDManager manager) {
        ModelConfig config = ModelConfig.tinyEncoderDecoder().withPlacement(normFirst ? Placement.PRE_NORM
                : Placement.POST_NORM).withNorm(ModelConfig.NormKind.RMS_NORM)
                .withFeedForward(ModelConfig.FeedForwardKind.SWIGLU).withHeads(4, 2);
        Seeded seeded = Seeded.of(manager, SEED);
        Parameters p = config.layerParameters(seeded, "");
        NDArray tgt = seeded.normal("tgt", 1, 2, 6, config.width());                          // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, 2, 8, config.width());                    // (B, S, C)
        AttentionMask tgtMask = AttentionMask.causal(seeded.rightPadding(6, 6, 4));
        AttentionMask memoryMask = AttentionMask.padding(seeded.rightPadding(8, 5, 8));

        NDArray out = new TransformerDecoderLayerGolden().kit().withConfig(config).decoderBlock(p, config)
                .forward(tgt, memory, tgtMask, memoryMask);

        NDArray expected = Kit.reference(config).decoderBlock(p, config).forward(tgt, memory, tgtMask, memoryMask);
        assertThat(out).named("Decoder layer output").against("the reference decoder block")
                .withAxes("batch", "pos", "dim").withSeed(SEED).isCloseTo(expected, TOLERANCE);
    }

    // What each output may and must read

    @ParameterizedTest(name = "{displayName}: norm_first={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("every target position reads the memory: changing the memory's real tokens changes every output")
    void readsTheMemory(boolean normFirst, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray tgt = seeded.normal("tgt", 1, 2, 6, WIDTH);                                   // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, 2, 9, WIDTH);                             // (B, S, C)
        NDArray otherMemory = seeded.normal("other memory", 1, 2, 9, WIDTH);                  // (B, S, C)
        AttentionMask tgtMask = AttentionMask.causal(seeded.rightPadding(6, 6, 6));
        AttentionMask memoryMask = AttentionMask.padding(seeded.rightPadding(9, 9, 5));
        TransformerDecoderLayer layer = layer(manager, normFirst ? PRE_NORM_MODEL : POST_NORM_MODEL);

        NDArray before = layer.forward(tgt, memory, tgtMask, memoryMask);                     // (B, T, C)
        NDArray after = layer.forward(tgt, otherMemory, tgtMask, memoryMask);                 // (B, T, C)

        float[] change = after.sub(before).abs().max(new int[] {2}).toFloatArray();           // (B, T)
        for (int i = 0; i < change.length; i++) {
            org.assertj.core.api.Assertions.assertThat(change[i])
                    .as("how much output [batch %d, pos %d] moves when the memory is another sentence", i / 6, i % 6)
                    .isGreaterThan(1e-3f);
        }
    }

    @ParameterizedTest(name = "{displayName}: norm_first={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("with the memory fixed, no output reads a later target token")
    void isCausalOverTheTarget(boolean normFirst, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray memory = seeded.normal("memory", 1, 2, 4, WIDTH);                             // (B, S, C)
        TransformerDecoderLayer layer = layer(manager, normFirst ? PRE_NORM_MODEL : POST_NORM_MODEL);

        assertThat(DecoderCausality.check(layer, memory, seeded, 8, WIDTH)).holds();
    }

    @ParameterizedTest(name = "{displayName}: norm_first={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("no output reads what the memory's pads hold")
    void ignoresMemoryPads(boolean normFirst, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray tgt = seeded.normal("tgt", 1, 3, 6, WIDTH);                                   // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, 3, 9, WIDTH);                             // (B, S, C)
        AttentionMask tgtMask = AttentionMask.causal(seeded.leftPadding(6, 6, 4, 2));
        TransformerDecoderLayer layer = layer(manager, normFirst ? PRE_NORM_MODEL : POST_NORM_MODEL);

        assertThat(MemoryPaddingIndependence.check(layer, tgt, tgtMask, memory, seeded.rightPadding(9, 3, 9, 6),
                seeded)).holds();
    }

    @Test
    @DisplayName("norm_first=False: no output reads what the pads of a memory shorter than the target hold")
    void ignoresPadsOfShortMemory(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray tgt = seeded.normal("tgt", 1, 2, 7, WIDTH);                                   // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, 2, 4, WIDTH);                             // (B, S, C)
        AttentionMask tgtMask = AttentionMask.causal(seeded.rightPadding(7, 7, 5));

        assertThat(MemoryPaddingIndependence.check(layer(manager, POST_NORM_MODEL), tgt, tgtMask, memory,
                seeded.rightPadding(4, 2, 3), seeded)).holds();
    }

    @ParameterizedTest(name = "{displayName}: norm_first={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("a real target token ignores what the target's pads hold, on the left under the causal mask")
    void ignoresTargetPads(boolean normFirst, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray tgt = seeded.normal("tgt", 1, 3, 6, WIDTH);                                   // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, 3, 8, WIDTH);                             // (B, S, C)
        AttentionMask memoryMask = AttentionMask.padding(seeded.rightPadding(8, 8, 3, 5));
        TransformerDecoderLayer layer = layer(manager, normFirst ? PRE_NORM_MODEL : POST_NORM_MODEL);

        assertThat(PaddingIndependence.check((x, mask) -> layer.forward(x, memory, mask, memoryMask), tgt,
                seeded.leftPadding(6, 6, 3, 5), true, seeded)).holds();
    }

    @ParameterizedTest(name = "{displayName}: norm_first={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("computes each sample of a padded batch as if it were alone")
    void keepsSamplesApart(boolean normFirst, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray tgt = seeded.normal("tgt", 1, 3, 6, WIDTH);                                   // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, 3, 8, WIDTH);                             // (B, S, C)
        NDArray tgtPadding = seeded.rightPadding(6, 6, 2, 4);                                 // (B, T)
        NDArray memoryPadding = seeded.rightPadding(8, 5, 8, 1);                              // (B, S)
        TransformerDecoderLayer layer = layer(manager, normFirst ? PRE_NORM_MODEL : POST_NORM_MODEL);

        NDArray batched = layer.forward(tgt, memory, AttentionMask.causal(tgtPadding),
                AttentionMask.padding(memoryPadding));                                        // (B, T, C)
        NDArray alone = null;
        for (long b = 0; b < 3; b++) {
            NDIndex item = new NDIndex("{}:{}", b, b + 1);
            NDArray one = layer.forward(tgt.get(item), memory.get(item), AttentionMask.causal(tgtPadding.get(item)),
                    AttentionMask.padding(memoryPadding.get(item)));                          // (1, T, C)
            alone = alone == null ? one : alone.concat(one, 0);
        }

        assertThat(batched).named("Decoder layer output in the batch").against("each sample run alone")
                .withAxes("batch", "pos", "dim").withSeed(SEED).isCloseTo(alone, TOLERANCE);
    }

    // Rows with nothing to see, shapes and inputs

    @ParameterizedTest(name = "{displayName}: norm_first={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("gives finite outputs for a sample whose memory is all padding")
    void keepsEmptyMemoryFinite(boolean normFirst, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray tgt = seeded.normal("tgt", 1, 2, 5, WIDTH);                                   // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, 2, 7, WIDTH);                             // (B, S, C)
        NDArray memoryPadding = seeded.rightPadding(7, 7).concat(manager.zeros(new Shape(1, 7)), 0);  // (B, S)

        NDArray out = layer(manager, normFirst ? PRE_NORM_MODEL : POST_NORM_MODEL).forward(tgt, memory,
                AttentionMask.causalOnly(), AttentionMask.padding(memoryPadding));

        assertThat(out).named("Decoder layer output for a batch whose sample 1 has a memory of pads only")
                .withAxes("batch", "pos", "dim").withSeed(SEED).isFinite();
    }

    @ParameterizedTest(name = "{displayName}: norm_first={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("gives finite outputs for a sample whose target is all padding")
    void keepsEmptyTargetFinite(boolean normFirst, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray tgt = seeded.normal("tgt", 1, 2, 5, WIDTH);                                   // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, 2, 7, WIDTH);                             // (B, S, C)
        NDArray tgtPadding = seeded.rightPadding(5, 5).concat(manager.zeros(new Shape(1, 5)), 0);  // (B, T)

        NDArray out = layer(manager, normFirst ? PRE_NORM_MODEL : POST_NORM_MODEL).forward(tgt, memory,
                AttentionMask.causal(tgtPadding), AttentionMask.padding(seeded.rightPadding(7, 7, 3)));

        assertThat(out).named("Decoder layer output for a batch whose sample 1 is all padding")
                .withAxes("batch", "pos", "dim").withSeed(SEED).isFinite();
    }

    @Test
    @DisplayName("returns the target's shape and dtype, and leaves the caller's target and memory unchanged")
    void keepsShapeAndInputs(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray tgt = seeded.normal("tgt", 1, 2, 3, WIDTH);                                   // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, 2, 5, WIDTH);                             // (B, S, C)
        NDArray tgtBefore = tgt.duplicate();
        NDArray memoryBefore = memory.duplicate();

        NDArray out = layer(manager, PRE_NORM_MODEL).forward(tgt, memory, AttentionMask.causalOnly(),
                AttentionMask.none());

        org.assertj.core.api.Assertions.assertThat(out.getShape()).isEqualTo(tgt.getShape());
        org.assertj.core.api.Assertions.assertThat(out.getDataType()).isEqualTo(tgt.getDataType());
        assertThat(tgt).named("Target after the call").against("the target before it").withSeed(SEED)
                .withAxes("batch", "pos", "dim").isCloseTo(tgtBefore, TOLERANCE);
        assertThat(memory).named("Memory after the call").against("the memory before it").withSeed(SEED)
                .withAxes("batch", "pos", "dim").isCloseTo(memoryBefore, TOLERANCE);
    }

    private static TransformerDecoderLayer layer(NDManager manager, String model) {
        return TransformerDecoderLayerGolden.layer(manager, model);
    }

    private static NDArray torch(NDManager manager, String model, NDArray tgt, NDArray memory, NDArray tgtPadding,
                                 NDArray memoryPadding) {
        return TransformerDecoderLayerGolden.torchLayer(manager, model, tgt, memory, tgtPadding, memoryPadding);
    }

    private static void assertAgreesWithStoredExample(NDManager manager, String model) {
        GoldenModel golden = GoldenModel.named(model);

        NDArray out = layer(manager, model).forward(golden.example(manager, "tgt"), golden.example(manager, "memory"),
                AttentionMask.causal(golden.example(manager, "tgt_padding")),
                AttentionMask.padding(golden.example(manager, "memory_padding")));

        assertThat(out).named("Decoder layer output").against("PyTorch's stored output").withAxes("batch", "pos", "dim")
                .isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    private static void assertAgreesOnLeftPaddedTarget(NDManager manager, String model) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray tgt = seeded.normal("tgt", 1, BATCH, TOKENS, WIDTH);                          // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, BATCH, MEMORY_TOKENS, WIDTH);             // (B, S, C)
        NDArray tgtPadding = seeded.leftPadding(TOKENS, lengths(seeded, "tgt lengths", BATCH, TOKENS));  // (B, T)
        NDArray memoryPadding = seeded.rightPadding(MEMORY_TOKENS,
                lengths(seeded, "memory lengths", BATCH, MEMORY_TOKENS));                      // (B, S)

        NDArray out = layer(manager, model).forward(tgt, memory, AttentionMask.causal(tgtPadding),
                AttentionMask.padding(memoryPadding));
        NDArray expected = torch(manager, model, tgt, memory, tgtPadding, memoryPadding);  // NaN where a query sees no key

        assertThat(atTokens(out, tgtPadding)).named("Decoder layer output at real tokens, left-padded target")
                .against(reference(model)).withAxes("batch", "pos", "dim").withSeed(SEED)
                .isCloseTo(atTokens(expected, tgtPadding), TOLERANCE);
    }

    private static void assertAgreesWithPyTorch(NDArray out, NDArray expected, String model) {
        assertThat(out).named("Decoder layer output").against(reference(model)).withAxes("batch", "pos", "dim")
                .withSeed(SEED).isCloseTo(expected, TOLERANCE);
    }

    private static String reference(String model) {
        return "PyTorch's TransformerDecoderLayer(norm_first=" + (model.equals(PRE_NORM_MODEL) ? "True" : "False") + ")";
    }

    /** out at the real tokens, 0 at the pads: (B, T, C). */
    private static NDArray atTokens(NDArray out, NDArray padding) {
        NDArray token = padding.expandDims(-1).broadcast(out.getShape()).gt(0);              // (B, T, C)
        return NDArrays.where(token, out, out.zerosLike());                                  // (B, T, C)
    }
}
