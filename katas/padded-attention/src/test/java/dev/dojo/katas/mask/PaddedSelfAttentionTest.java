package dev.dojo.katas.mask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.probes.BatchIndependence;
import dev.dojo.probes.PaddingIndependence;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.mask.PaddedSelfAttentionGolden.BATCH;
import static dev.dojo.katas.mask.PaddedSelfAttentionGolden.CAUSAL_MODEL;
import static dev.dojo.katas.mask.PaddedSelfAttentionGolden.MODEL;
import static dev.dojo.katas.mask.PaddedSelfAttentionGolden.SEED;
import static dev.dojo.katas.mask.PaddedSelfAttentionGolden.TOKENS;
import static dev.dojo.katas.mask.PaddedSelfAttentionGolden.TOLERANCE;
import static dev.dojo.katas.mask.PaddedSelfAttentionGolden.WIDTH;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Contract:
// - agrees with torch.nn.MultiheadAttention given a key_padding_mask: a seeded right-padded batch,
//   PyTorch's stored example, a left-padded batch, a batch without pads, no padding mask at all,
//   a mask of booleans or integers
// - agrees with it under a causal mask: alone, with PyTorch's stored right-padded example, at batch
//   and sequence sizes other than the example's, and on the real tokens of a left-padded batch
//   (PyTorch leaves a query that sees no key undefined)
// - any number of heads that divides the width agrees with the reference attention on a padded
//   batch; a number of heads that does not divide the width is rejected
// - a real token's output ignores what the pads hold (right padding, and left padding under a causal
//   mask), even pads far larger than the tokens, and the other sentences of the batch
// - a query that sees no key (a sentence that is all padding; a pad before the first token under a
//   causal mask) still gives finite outputs
@ExtendWith(ScopedManager.class)
class PaddedSelfAttentionTest {

    @Test
    @DisplayName("agrees with torch.nn.MultiheadAttention on a seeded batch of padded sentences")
    void matchesPyTorchMultiheadAttention(NDManager manager) {
        new PaddedSelfAttentionGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its padded example")
    void matchesPyTorchStoredExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);

        NDArray out = attention.forward(golden.example(manager, "x"),
                AttentionMask.padding(golden.example(manager, "padding")));

        assertThat(out).named("Attention output").against("PyTorch's stored output").withAxes("batch", "pos", "dim")
                .isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its causal, padded example")
    void matchesPyTorchStoredCausalExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(CAUSAL_MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);

        NDArray out = attention.forward(golden.example(manager, "x"),
                AttentionMask.causal(golden.example(manager, "padding")));

        assertThat(out).named("Causal attention output").against("PyTorch's stored output")
                .withAxes("batch", "pos", "dim").isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with torch.nn.MultiheadAttention on a batch padded on the left")
    void matchesPyTorchOnLeftPaddedBatch(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                                          // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, PaddedSelfAttentionGolden.lengths(seeded, BATCH, TOKENS)); // (B, T)

        NDArray out = attention.forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output, left padding").against("PyTorch's MultiheadAttention").withSeed(SEED)
                .withAxes("batch", "pos", "dim").isCloseTo(golden.run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with torch.nn.MultiheadAttention on a batch without pads")
    void matchesPyTorchWithoutPads(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                 // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, TOKENS, TOKENS);    // (B, T)

        NDArray out = attention.forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output").against("PyTorch's MultiheadAttention").withSeed(SEED)
                .withAxes("batch", "pos", "dim").isCloseTo(golden.run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with torch.nn.MultiheadAttention when given no padding mask at all")
    void matchesPyTorchWithoutPaddingMask(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                 // (B, T, C)
        NDArray everyToken = seeded.rightPadding(TOKENS, TOKENS, TOKENS, TOKENS); // (B, T)

        NDArray out = attention.forward(x, AttentionMask.none());

        assertThat(out).named("Attention output, no mask").against("PyTorch's MultiheadAttention").withSeed(SEED)
                .withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, x, everyToken).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention when given no padding mask")
    void matchesPyTorchCausalWithoutPaddingMask(NDManager manager) {
        GoldenModel golden = GoldenModel.named(CAUSAL_MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                 // (B, T, C)
        NDArray everyToken = seeded.rightPadding(TOKENS, TOKENS, TOKENS, TOKENS); // (B, T)

        NDArray out = attention.forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Causal attention output, no pads").against("PyTorch's MultiheadAttention")
                .withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, x, everyToken).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention on the real tokens of a batch padded on the left")
    void matchesPyTorchCausalOnLeftPaddedBatch(NDManager manager) {
        GoldenModel golden = GoldenModel.named(CAUSAL_MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                                          // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, PaddedSelfAttentionGolden.lengths(seeded, BATCH, TOKENS)); // (B, T)

        NDArray out = attention.forward(x, AttentionMask.causal(padding));
        NDArray expected = golden.run(manager, x, padding).singletonOrThrow();  // NaN where a query sees no key

        assertThat(atTokens(out, padding)).named("Causal attention output at real tokens, left padding")
                .against("PyTorch's MultiheadAttention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(atTokens(expected, padding), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention for batch and sequence sizes other than the example's")
    void matchesPyTorchAtOtherSizes(NDManager manager) {
        GoldenModel golden = GoldenModel.named(CAUSAL_MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        int batch = 5;
        int tokens = 12;
        NDArray x = seeded.normal("x", 1, batch, tokens, WIDTH);                                           // (B, T, C)
        NDArray padding = seeded.rightPadding(tokens, PaddedSelfAttentionGolden.lengths(seeded, batch, tokens)); // (B, T)

        NDArray out = attention.forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, B 5, T 12").against("PyTorch's MultiheadAttention")
                .withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }

    @ParameterizedTest(name = "a padding mask of {0}")
    @EnumSource(value = DataType.class, names = {"BOOLEAN", "INT64"})
    @DisplayName("agrees with torch.nn.MultiheadAttention when the padding mask holds booleans or integers")
    void matchesPyTorchWithAMaskOfAnyType(DataType type, NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                                           // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, PaddedSelfAttentionGolden.lengths(seeded, BATCH, TOKENS)); // (B, T)

        NDArray out = attention.forward(x, AttentionMask.padding(padding.toType(type, false)));

        assertThat(out).named("Attention output, " + type + " mask").against("PyTorch's MultiheadAttention")
                .withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }

    @ParameterizedTest(name = "width {0}, heads {1}")
    @CsvSource({"16, 1", "16, 2", "16, 8", "24, 3"})
    @DisplayName("agrees with the reference attention on a padded batch for any number of heads that divides the width")
    void matchesReferenceForOtherHeadCounts(int width, int heads, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Linear wq = Linear.random(seeded, "q", width, width, true);
        Linear wk = Linear.random(seeded, "k", width, width, true);
        Linear wv = Linear.random(seeded, "v", width, width, true);
        Linear wo = Linear.random(seeded, "o", width, width, true);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, width);                                          // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, PaddedSelfAttentionGolden.lengths(seeded, BATCH, TOKENS)); // (B, T)
        AttentionMask mask = AttentionMask.padding(padding);

        NDArray out = new PaddedSelfAttention(wq, wk, wv, wo, heads).forward(x, mask);

        assertThat(out).named("Attention output, heads " + heads).against("the reference attention")
                .withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(new Attention(wq, wk, wv, wo, heads, heads, null).forward(x, mask), TOLERANCE);
    }

    @Test
    @DisplayName("rejects a number of heads that does not divide the width")
    void rejectsHeadsThatDoNotDivideTheWidth(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Linear w = Linear.random(seeded, "w", WIDTH, WIDTH, true);

        assertThatThrownBy(() -> new PaddedSelfAttention(w, w, w, w, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heads (3)").hasMessageContaining("width (16)");
    }

    @Test
    @DisplayName("gives a real token the same output whatever the pad tokens hold")
    void ignoresWhatThePadsHold(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);      // (B, T)

        assertThat(PaddingIndependence.check(attention::forward, x, padding, false, seeded)).holds();
    }

    @Test
    @DisplayName("gives a real token the same output when the pads hold values far larger than the tokens")
    void ignoresPadsThatDwarfTheTokens(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);      // (B, T)
        NDArray pad = padding.toType(DataType.FLOAT32, false).neg().add(1f).expandDims(-1);   // (B, T, 1)
        NDArray loud = x.mul(pad.mul(999f).add(1f));                      // (B, T, C): pads × 1000

        NDArray out = atTokens(attention.forward(x, AttentionMask.padding(padding)), padding);
        NDArray outLoud = atTokens(attention.forward(loud, AttentionMask.padding(padding)), padding);

        assertThat(outLoud).named("Real tokens' output with the pads × 1000").against("their output before")
                .withAxes("batch", "pos", "dim").withSeed(SEED).isCloseTo(out, TOLERANCE);
    }

    @Test
    @DisplayName("under a causal mask, gives a real token the same output whatever the pads before it hold")
    void ignoresWhatThePadsBeforeATokenHold(NDManager manager) {
        GoldenModel golden = GoldenModel.named(CAUSAL_MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 4, 2);       // (B, T)

        assertThat(PaddingIndependence.check(attention::forward, x, padding, true, seeded)).holds();
    }

    @Test
    @DisplayName("computes each sentence of a padded batch as if it were alone")
    void keepsSentencesIndependent(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);      // (B, T)

        assertThat(BatchIndependence.check(attention::forward, x, padding, false, SEED)).holds();
    }

    @Test
    @DisplayName("gives finite outputs for a sentence that is all padding")
    void staysFiniteForASentenceOfPads(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 2, TOKENS, WIDTH);                                  // (B, T, C)
        NDArray padding = manager.create(new float[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                new Shape(2, TOKENS));                                    // (B, T): item 1 all pads

        NDArray out = attention.forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output, item 1 all pads").withAxes("batch", "pos", "dim").isFinite();
    }

    @Test
    @DisplayName("under a causal mask, gives finite outputs at pads that come before every token")
    void staysFiniteForPadsBeforeTheFirstToken(NDManager manager) {
        GoldenModel golden = GoldenModel.named(CAUSAL_MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 4, 2);       // (B, T)

        NDArray out = attention.forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, left padding").withAxes("batch", "pos", "dim").isFinite();
    }

    /** {@code out} (B, T, C) with every pad position set to 0, whatever it held, NaN included. */
    private static NDArray atTokens(NDArray out, NDArray padding) {
        NDArray token = padding.expandDims(-1).broadcast(out.getShape()).gt(0);   // (B, T, C)
        return NDArrays.where(token, out, out.zerosLike());                        // (B, T, C)
    }
}
