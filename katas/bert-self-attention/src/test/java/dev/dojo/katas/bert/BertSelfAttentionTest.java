package dev.dojo.katas.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.probes.BatchIndependence;
import dev.dojo.probes.Causality;
import dev.dojo.probes.HeadIndependence;
import dev.dojo.probes.PaddingIndependence;
import dev.dojo.probes.PermutationEquivariance;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.bert.BertSelfAttentionGolden.BATCH;
import static dev.dojo.katas.bert.BertSelfAttentionGolden.CAUSAL_MODEL;
import static dev.dojo.katas.bert.BertSelfAttentionGolden.HEADS;
import static dev.dojo.katas.bert.BertSelfAttentionGolden.MODEL;
import static dev.dojo.katas.bert.BertSelfAttentionGolden.SEED;
import static dev.dojo.katas.bert.BertSelfAttentionGolden.TOKENS;
import static dev.dojo.katas.bert.BertSelfAttentionGolden.TOLERANCE;
import static dev.dojo.katas.bert.BertSelfAttentionGolden.WIDTH;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Contract:
// - agrees with torch.nn.MultiheadAttention given a key_padding_mask: a seeded right-padded batch,
//   PyTorch's stored example, a left-padded batch, a batch without pads, no mask at all, batch and
//   sequence sizes other than the example's, and sentences of a single word
// - under a causal mask, agrees with causal torch.nn.MultiheadAttention: PyTorch's stored right-padded
//   example, a batch without pads, and the real tokens of a left-padded batch (PyTorch leaves a query
//   that sees no key undefined)
// - any number of heads that divides the hidden size agrees with the reference attention, and so do
//   heads that attend sharply (query and key weights × 8); a number of heads
//   that does not divide the hidden size is rejected
// - each output is a weighted average of the values its query may see: when every token carries the
//   same value, every output is that value
// - a real token's output ignores what the pads hold (right padding; left padding under a causal mask),
//   even pads far larger than the tokens, and the other sentences of the batch; under a causal mask no output reads a later token
// - with dense the identity, each head writes only its own slice of the output; without a mask,
//   permuting the tokens permutes the outputs alike
// - a query that sees no key (a sentence that is all padding; a pad before the first token under a
//   causal mask) gives finite outputs
@ExtendWith(ScopedManager.class)
class BertSelfAttentionTest {
    private static final String[] AXES = {"batch", "pos", "dim"};

    // PyTorch's MultiheadAttention with a key padding mask

    @Test
    @DisplayName("agrees with torch.nn.MultiheadAttention on a seeded batch of padded sentences")
    void matchesPyTorchMultiheadAttention(NDManager manager) {
        new BertSelfAttentionGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its padded example")
    void matchesPyTorchStoredExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);

        NDArray out = BertSelfAttentionGolden.attention(golden, manager).forward(golden.example(manager, "x"),
                AttentionMask.padding(golden.example(manager, "padding")));

        assertThat(out).named("Attention output").against("PyTorch's stored output").withAxes(AXES)
                .isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with torch.nn.MultiheadAttention on a batch padded on the left")
    void matchesPyTorchOnLeftPaddedBatch(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                                          // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, BertSelfAttentionGolden.lengths(seeded, BATCH, TOKENS)); // (B, T)

        NDArray out = attention(manager).forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output, left padding").against("PyTorch's MultiheadAttention").withSeed(SEED)
                .withAxes(AXES).isCloseTo(pyTorch(manager, MODEL, x, padding), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with torch.nn.MultiheadAttention on a batch without pads")
    void matchesPyTorchWithoutPads(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);   // (B, T, C)
        NDArray padding = everyToken(manager, x);                                      // (B, T)

        NDArray out = attention(manager).forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output, no pads").against("PyTorch's MultiheadAttention").withSeed(SEED)
                .withAxes(AXES).isCloseTo(pyTorch(manager, MODEL, x, padding), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with torch.nn.MultiheadAttention when given no mask at all")
    void matchesPyTorchWithoutAnyMask(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);   // (B, T, C)

        NDArray out = attention(manager).forward(x, AttentionMask.none());

        assertThat(out).named("Attention output, no mask").against("PyTorch's MultiheadAttention").withSeed(SEED)
                .withAxes(AXES).isCloseTo(pyTorch(manager, MODEL, x, everyToken(manager, x)), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with torch.nn.MultiheadAttention for batch and sequence sizes other than the example's")
    void matchesPyTorchAtOtherSizes(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        int batch = 5;
        int tokens = 12;
        NDArray x = seeded.normal("x", 1, batch, tokens, WIDTH);                                           // (B, T, C)
        NDArray padding = seeded.rightPadding(tokens, BertSelfAttentionGolden.lengths(seeded, batch, tokens)); // (B, T)

        NDArray out = attention(manager).forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output, B 5, T 12").against("PyTorch's MultiheadAttention").withSeed(SEED)
                .withAxes(AXES).isCloseTo(pyTorch(manager, MODEL, x, padding), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with torch.nn.MultiheadAttention on sentences of a single word")
    void matchesPyTorchOnSingleWords(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, 1, WIDTH);         // (B, 1, C)
        NDArray padding = everyToken(manager, x);                                       // (B, 1)

        NDArray out = attention(manager).forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output, one word").against("PyTorch's MultiheadAttention").withSeed(SEED)
                .withAxes(AXES).isCloseTo(pyTorch(manager, MODEL, x, padding), TOLERANCE);
    }

    // PyTorch's MultiheadAttention under a causal mask

    @Test
    @DisplayName("under a causal mask, agrees with the output PyTorch stored for its causal, padded example")
    void matchesPyTorchStoredCausalExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(CAUSAL_MODEL);

        NDArray out = BertSelfAttentionGolden.attention(golden, manager).forward(golden.example(manager, "x"),
                AttentionMask.causal(golden.example(manager, "padding")));

        assertThat(out).named("Causal attention output").against("PyTorch's stored output").withAxes(AXES)
                .isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @Test
    @DisplayName("under a causal mask, agrees with causal torch.nn.MultiheadAttention on a batch without pads")
    void matchesPyTorchCausalWithoutPads(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);   // (B, T, C)

        NDArray out = causalAttention(manager).forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Causal attention output, no pads").against("PyTorch's causal MultiheadAttention")
                .withSeed(SEED).withAxes(AXES)
                .isCloseTo(pyTorch(manager, CAUSAL_MODEL, x, everyToken(manager, x)), TOLERANCE);
    }

    @Test
    @DisplayName("under a causal mask, agrees with causal torch.nn.MultiheadAttention on the real tokens of a batch padded on the left")
    void matchesPyTorchCausalOnLeftPaddedBatch(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                                          // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, BertSelfAttentionGolden.lengths(seeded, BATCH, TOKENS)); // (B, T)

        NDArray out = causalAttention(manager).forward(x, AttentionMask.causal(padding));

        assertThat(atTokens(out, padding)).named("Causal attention output at real tokens, left padding")
                .against("PyTorch's causal MultiheadAttention").withSeed(SEED).withAxes(AXES)
                .isCloseTo(atTokens(pyTorch(manager, CAUSAL_MODEL, x, padding), padding), TOLERANCE);
    }

    // Heads

    @ParameterizedTest(name = "hidden size {0}, heads {1}")
    @CsvSource({"16, 1", "16, 2", "16, 8", "24, 3"})
    @DisplayName("agrees with the reference attention on a padded batch for any number of heads that divides the hidden size")
    void matchesReferenceForOtherHeadCounts(int width, int heads, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Linear query = Linear.random(seeded, "query", width, width, true);
        Linear key = Linear.random(seeded, "key", width, width, true);
        Linear value = Linear.random(seeded, "value", width, width, true);
        Linear dense = Linear.random(seeded, "dense", width, width, true);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, width);                                          // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, BertSelfAttentionGolden.lengths(seeded, BATCH, TOKENS)); // (B, T)
        AttentionMask mask = AttentionMask.padding(padding);

        NDArray out = new BertSelfAttention(query, key, value, dense, heads).forward(x, mask);

        assertThat(out).named("Attention output, heads " + heads).against("the reference attention").withSeed(SEED)
                .withAxes(AXES).isCloseTo(new Attention(query, key, value, dense, heads, heads, null).forward(x, mask),
                        TOLERANCE);
    }

    @Test
    @DisplayName("agrees with the reference attention on a padded batch when the heads attend sharply (query and key weights × 8)")
    void matchesReferenceWithSharpHeads(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Linear query = Linear.random(seeded, "query", WIDTH, WIDTH, true);
        Linear key = Linear.random(seeded, "key", WIDTH, WIDTH, true);
        Linear sharpQuery = new Linear(query.weight().mul(8), query.bias().mul(8));
        Linear sharpKey = new Linear(key.weight().mul(8), key.bias().mul(8));
        Linear value = Linear.random(seeded, "value", WIDTH, WIDTH, true);
        Linear dense = Linear.random(seeded, "dense", WIDTH, WIDTH, true);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                                          // (B, T, C)
        AttentionMask mask = AttentionMask.padding(seeded.rightPadding(TOKENS,
                BertSelfAttentionGolden.lengths(seeded, BATCH, TOKENS)));                                 // (B, T)

        NDArray out = new BertSelfAttention(sharpQuery, sharpKey, value, dense, HEADS).forward(x, mask);

        assertThat(out).named("Attention output, sharp heads").against("the reference attention").withSeed(SEED)
                .withAxes(AXES).isCloseTo(new Attention(sharpQuery, sharpKey, value, dense, HEADS, HEADS, null)
                        .forward(x, mask), TOLERANCE);
    }

    @Test
    @DisplayName("rejects a number of heads that does not divide the hidden size")
    void rejectsHeadsThatDoNotDivideTheHiddenSize(NDManager manager) {
        Linear w = Linear.random(Seeded.of(manager, SEED), "w", WIDTH, WIDTH, true);

        assertThatThrownBy(() -> new BertSelfAttention(w, w, w, w, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hidden size (16)").hasMessageContaining("heads (3)");
    }

    // What each output is made of

    @Test
    @DisplayName("when every token carries the same value, returns that value at every position")
    void averagesEqualValuesToThatValue(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Linear query = Linear.random(seeded, "query", WIDTH, WIDTH, true);
        Linear key = Linear.random(seeded, "key", WIDTH, WIDTH, true);
        NDArray shared = seeded.normal("shared value", 1, WIDTH);                               // (C)
        Linear value = new Linear(manager.zeros(new Shape(WIDTH, WIDTH)), shared);             // every token → shared
        Linear identity = new Linear(manager.eye(WIDTH), null);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                                // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, BertSelfAttentionGolden.lengths(seeded, BATCH, TOKENS)); // (B, T)

        NDArray out = new BertSelfAttention(query, key, value, identity, BertSelfAttentionGolden.HEADS)
                .forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Output when every value is the same").against("that value at every position")
                .withSeed(SEED).withAxes(AXES)
                .isCloseTo(shared.reshape(1, 1, WIDTH).broadcast(BATCH, TOKENS, WIDTH), TOLERANCE);
    }

    // What each output may read

    @Test
    @DisplayName("gives a real token the same output whatever the pad tokens hold")
    void ignoresWhatThePadsHold(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);      // (B, T)

        assertThat(PaddingIndependence.check(attention(manager)::forward, x, padding, false, seeded)).holds();
    }

    @Test
    @DisplayName("gives a real token the same output when the pads hold values far larger than the tokens")
    void ignoresPadsThatDwarfTheTokens(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);      // (B, T)
        NDArray pad = padding.toType(DataType.FLOAT32, false).neg().add(1f).expandDims(-1);   // (B, T, 1)
        NDArray loud = x.mul(pad.mul(999f).add(1f));                      // (B, T, C): pads × 1000

        NDArray out = atTokens(attention(manager).forward(x, AttentionMask.padding(padding)), padding);
        NDArray outLoud = atTokens(attention(manager).forward(loud, AttentionMask.padding(padding)), padding);

        assertThat(outLoud).named("Real tokens' output with the pads × 1000").against("their output before")
                .withAxes(AXES).withSeed(SEED).isCloseTo(out, TOLERANCE);
    }

    @Test
    @DisplayName("under a causal mask, gives a real token the same output whatever the pads before it hold")
    void ignoresWhatThePadsBeforeATokenHold(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 4, 2);       // (B, T)

        assertThat(PaddingIndependence.check(causalAttention(manager)::forward, x, padding, true, seeded)).holds();
    }

    @Test
    @DisplayName("under a causal mask, leaves every output before a token unchanged when that token changes")
    void keepsCausalOrder(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);

        assertThat(Causality.check(causalAttention(manager)::forward, seeded, 2, 8, WIDTH, 4)).holds();
    }

    @Test
    @DisplayName("computes each sentence of a padded batch as if it were alone")
    void keepsSentencesIndependent(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);      // (B, T)

        assertThat(BatchIndependence.check(attention(manager)::forward, x, padding, false, SEED)).holds();
    }

    @Test
    @DisplayName("with dense the identity, changing one head's weights changes only that head's slice of the output")
    void keepsHeadsApart(NDManager manager) {
        assertThat(new HeadIndependence().check(new BertSelfAttentionGolden().kit(), manager, SEED)).holds();
    }

    @Test
    @DisplayName("without a mask, permuting the tokens permutes the outputs alike")
    void permutesWithTheTokens(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);

        assertThat(PermutationEquivariance.check(attention(manager), seeded, 2, 6, WIDTH)).holds();
    }

    // Rows that see no key

    @Test
    @DisplayName("gives finite outputs for a sentence that is all padding")
    void staysFiniteForASentenceOfPads(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, 2, TOKENS, WIDTH);                 // (B, T, C)
        NDArray padding = manager.create(new float[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                new Shape(2, TOKENS));                                                          // (B, T): item 1 all pads

        NDArray out = attention(manager).forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output, item 1 all pads").withAxes(AXES).isFinite();
    }

    @Test
    @DisplayName("under a causal mask, gives finite outputs at pads that come before every token")
    void staysFiniteForPadsBeforeTheFirstToken(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 4, 2);       // (B, T)

        NDArray out = causalAttention(manager).forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, left padding").withAxes(AXES).isFinite();
    }

    // Helpers

    /** The attention under test with the weights of the golden module that has a key padding mask only. */
    private static BertSelfAttention attention(NDManager manager) {
        return BertSelfAttentionGolden.attention(GoldenModel.named(MODEL), manager);
    }

    /** The attention under test with the causal golden module's weights. */
    private static BertSelfAttention causalAttention(NDManager manager) {
        return BertSelfAttentionGolden.attention(GoldenModel.named(CAUSAL_MODEL), manager);
    }

    /** The golden module {@code model} run by PyTorch on x: (B, T, C) with padding (B, T), 1 for a token. */
    private static NDArray pyTorch(NDManager manager, String model, NDArray x, NDArray padding) {
        return GoldenModel.named(model).run(manager, x, padding).singletonOrThrow();
    }

    /** A (B, T) padding mask of ones for x: (B, T, C). */
    private static NDArray everyToken(NDManager manager, NDArray x) {
        return manager.ones(new Shape(x.getShape().get(0), x.getShape().get(1)));
    }

    /** {@code out} (B, T, C) with every pad position set to 0, whatever it held, NaN included. */
    private static NDArray atTokens(NDArray out, NDArray padding) {
        NDArray token = padding.expandDims(-1).broadcast(out.getShape()).gt(0);   // (B, T, C)
        return NDArrays.where(token, out, out.zerosLike());                        // (B, T, C)
    }
}
