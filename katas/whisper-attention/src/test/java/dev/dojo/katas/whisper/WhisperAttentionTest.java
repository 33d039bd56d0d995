package dev.dojo.katas.whisper;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.probes.BatchIndependence;
import dev.dojo.probes.Causality;
import dev.dojo.probes.HeadIndependence;
import dev.dojo.probes.KvCacheEquivalence;
import dev.dojo.probes.PaddingIndependence;
import dev.dojo.probes.PermutationEquivariance;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.whisper.WhisperAttentionGolden.BATCH;
import static dev.dojo.katas.whisper.WhisperAttentionGolden.CAUSAL_MODEL;
import static dev.dojo.katas.whisper.WhisperAttentionGolden.MODEL;
import static dev.dojo.katas.whisper.WhisperAttentionGolden.SEED;
import static dev.dojo.katas.whisper.WhisperAttentionGolden.TOKENS;
import static dev.dojo.katas.whisper.WhisperAttentionGolden.TOLERANCE;
import static dev.dojo.katas.whisper.WhisperAttentionGolden.WIDTH;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Contract:
// - agrees with torch.nn.MultiheadAttention (C 16, 4 heads, biases): under a causal mask on a seeded
//   right-padded batch and on PyTorch's stored example; with padding only on PyTorch's stored example
//   and on a left-padded batch; with no mask at all (the encoder), with a causal mask alone, on the
//   real tokens of a left-padded batch under a causal mask, and at other batch and sequence sizes down
//   to a single token
// - a prompt prefilled into a KV cache and then decoded one token per step gives PyTorch's causal output
//   for the whole sequence; decoding step by step or in chunks equals its own full pass
// - agrees with the reference attention for head counts where the head size is a half, an eighth, a
//   sixteenth, a third or a sixth of the width, and for a single head (head size = width); the key
//   projection may have no bias, as Whisper's has none
// - a real token ignores what the pads hold (right padding; left padding under a causal mask), later
//   tokens under a causal mask and the other sequences of the batch; a query that sees no key stays finite
// - without a mask, permuting the tokens permutes the outputs; with out the identity, each head's q/k/v
//   rows move only that head's slice
// - a number of heads that does not divide the width is rejected
@ExtendWith(ScopedManager.class)
class WhisperAttentionTest {

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention on a seeded right-padded batch")
    void matchesPyTorchCausalMultiheadAttention(NDManager manager) {
        new WhisperAttentionGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its padded example")
    void matchesPyTorchStoredExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);

        NDArray out = WhisperAttentionGolden.attention(golden, manager)
                .forward(golden.example(manager, "x"), AttentionMask.padding(golden.example(manager, "padding")));

        assertThat(out).named("Attention output").against("PyTorch's stored output").withAxes("batch", "pos", "dim")
                .isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its causal, padded example")
    void matchesPyTorchStoredCausalExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(CAUSAL_MODEL);

        NDArray out = WhisperAttentionGolden.attention(golden, manager)
                .forward(golden.example(manager, "x"), AttentionMask.causal(golden.example(manager, "padding")));

        assertThat(out).named("Causal attention output").against("PyTorch's stored output")
                .withAxes("batch", "pos", "dim").isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with torch.nn.MultiheadAttention without any mask, as the encoder runs it")
    void matchesPyTorchWithoutMask(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                    // (B, T, C)
        NDArray everyToken = seeded.rightPadding(TOKENS, TOKENS, TOKENS, TOKENS);    // (B, T)

        NDArray out = WhisperAttentionGolden.attention(golden, manager).forward(x, AttentionMask.none());

        assertThat(out).named("Attention output, no mask").against("PyTorch's MultiheadAttention").withSeed(SEED)
                .withAxes("batch", "pos", "dim").isCloseTo(golden.run(manager, x, everyToken).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention on a batch without pads")
    void matchesPyTorchCausalWithoutPads(NDManager manager) {
        GoldenModel golden = GoldenModel.named(CAUSAL_MODEL);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                    // (B, T, C)
        NDArray everyToken = seeded.rightPadding(TOKENS, TOKENS, TOKENS, TOKENS);    // (B, T)

        NDArray out = WhisperAttentionGolden.attention(golden, manager).forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Causal attention output, no pads").against("PyTorch's MultiheadAttention")
                .withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, x, everyToken).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with torch.nn.MultiheadAttention on a batch padded on the left")
    void matchesPyTorchOnLeftPaddedBatch(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                                               // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, WhisperAttentionGolden.lengths(seeded, BATCH, TOKENS));  // (B, T)

        NDArray out = WhisperAttentionGolden.attention(golden, manager).forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output, left padding").against("PyTorch's MultiheadAttention").withSeed(SEED)
                .withAxes("batch", "pos", "dim").isCloseTo(golden.run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention on the real tokens of a batch padded on the left")
    void matchesPyTorchCausalOnLeftPaddedBatch(NDManager manager) {
        GoldenModel golden = GoldenModel.named(CAUSAL_MODEL);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                                               // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, WhisperAttentionGolden.lengths(seeded, BATCH, TOKENS));  // (B, T)

        NDArray out = WhisperAttentionGolden.attention(golden, manager).forward(x, AttentionMask.causal(padding));
        NDArray expected = golden.run(manager, x, padding).singletonOrThrow();  // NaN where a query sees no key

        assertThat(atTokens(out, padding)).named("Causal attention output at real tokens, left padding")
                .against("PyTorch's MultiheadAttention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(atTokens(expected, padding), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: batch {0}, tokens {1}")
    @CsvSource({"5, 12", "1, 1"})
    @DisplayName("agrees with causal torch.nn.MultiheadAttention for batch and sequence sizes other than the example's")
    void matchesPyTorchAtOtherSizes(int batch, int tokens, NDManager manager) {
        GoldenModel golden = GoldenModel.named(CAUSAL_MODEL);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, batch, tokens, WIDTH);                                           // (B, T, C)
        NDArray padding = seeded.rightPadding(tokens, WhisperAttentionGolden.lengths(seeded, batch, tokens)); // (B, T)

        NDArray out = WhisperAttentionGolden.attention(golden, manager).forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, B " + batch + ", T " + tokens)
                .against("PyTorch's MultiheadAttention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("decodes a cached prompt one token per step as causal torch.nn.MultiheadAttention computes the whole sequence")
    void decodesAsPyTorchWithACache(NDManager manager) {
        GoldenModel golden = GoldenModel.named(CAUSAL_MODEL);
        WhisperAttention attention = WhisperAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                    // (B, T, C)
        NDArray everyToken = seeded.rightPadding(TOKENS, TOKENS, TOKENS, TOKENS);    // (B, T)
        KvCache cache = new KvCache();

        NDArray decoded = attention.forward(x.get(new NDIndex(":, :4")), AttentionMask.causalOnly(), cache);  // (B, 4, C)
        for (long t = 4; t < TOKENS; t++) {
            NDArray step = x.get(new NDIndex(":, {}:{}", t, t + 1));                 // (B, 1, C)
            decoded = decoded.concat(attention.forward(step, AttentionMask.causalOnly(), cache), 1);
        }

        assertThat(decoded).named("Prompt of 4, then one token per step").against("PyTorch's MultiheadAttention")
                .withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, x, everyToken).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("decoding with a KV cache, one token or several per step, equals its own full pass")
    void decodesAsInOnePass(NDManager manager) {
        WhisperAttention attention = WhisperAttentionGolden.attention(GoldenModel.named(CAUSAL_MODEL), manager);

        assertThat(KvCacheEquivalence.check(attention, Seeded.of(manager, SEED), BATCH, TOKENS, WIDTH)).holds();
    }

    @ParameterizedTest(name = "{displayName}: width {0}, heads {1}")
    @CsvSource({"16, 2", "16, 8", "16, 16", "24, 3", "24, 6"})
    @DisplayName("agrees with the reference attention for other numbers of heads")
    void matchesReferenceForOtherHeadCounts(int width, int heads, NDManager manager) {
        agreesWithReference(manager, width, heads);
    }

    @ParameterizedTest(name = "{displayName}: width {0}")
    @CsvSource({"16", "24"})
    @DisplayName("agrees with the reference attention with a single head")
    void matchesReferenceForASingleHead(int width, NDManager manager) {
        agreesWithReference(manager, width, 1);
    }

    @Test
    @DisplayName("rejects a number of heads that does not divide the width, naming both")
    void rejectsHeadsThatDoNotDivideTheWidth(NDManager manager) {
        Linear w = Linear.random(Seeded.of(manager, SEED), "w", WIDTH, WIDTH, true);

        assertThatThrownBy(() -> new WhisperAttention(w, w, w, w, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heads (3)").hasMessageContaining("width (16)");
    }

    @Test
    @DisplayName("gives a real token the same output whatever the pad tokens after it hold")
    void ignoresWhatThePadsHold(NDManager manager) {
        WhisperAttention attention = WhisperAttentionGolden.attention(GoldenModel.named(MODEL), manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);      // (B, T)

        assertThat(PaddingIndependence.check(attention::forward, x, padding, false, seeded)).holds();
    }

    @Test
    @DisplayName("under a causal mask, gives a real token the same output whatever the pads before it hold")
    void ignoresWhatThePadsBeforeATokenHold(NDManager manager) {
        WhisperAttention attention = WhisperAttentionGolden.attention(GoldenModel.named(CAUSAL_MODEL), manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 4, 2);       // (B, T)

        assertThat(PaddingIndependence.check(attention::forward, x, padding, true, seeded)).holds();
    }

    @Test
    @DisplayName("under a causal mask, never lets a token's output depend on a later token")
    void seesNoLaterToken(NDManager manager) {
        WhisperAttention attention = WhisperAttentionGolden.attention(GoldenModel.named(CAUSAL_MODEL), manager);

        assertThat(Causality.check(attention::forward, Seeded.of(manager, SEED), BATCH, TOKENS, WIDTH, 3)).holds();
    }

    @Test
    @DisplayName("computes each sequence of a padded batch as if it were alone")
    void keepsSequencesIndependent(NDManager manager) {
        WhisperAttention attention = WhisperAttentionGolden.attention(GoldenModel.named(MODEL), manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);      // (B, T)

        assertThat(BatchIndependence.check(attention::forward, x, padding, true, SEED)).holds();
    }

    @Test
    @DisplayName("gives finite outputs for a sequence that is all padding and for pads before the first token")
    void staysFiniteWhereAQuerySeesNoKey(NDManager manager) {
        WhisperAttention attention = WhisperAttentionGolden.attention(GoldenModel.named(CAUSAL_MODEL), manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 2, TOKENS, WIDTH);                                        // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, 3, 1)
                .mul(manager.create(new float[] {1, 0}).reshape(2, 1));   // (B, T): item 1 all pads

        NDArray out = attention.forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, left padding, item 1 all pads").withAxes("batch", "pos", "dim")
                .isFinite();
    }

    @Test
    @DisplayName("without a mask, permutes its outputs as its input tokens are permuted")
    void treatsTokensAsASet(NDManager manager) {
        WhisperAttention attention = WhisperAttentionGolden.attention(GoldenModel.named(MODEL), manager);

        assertThat(PermutationEquivariance.check(attention, Seeded.of(manager, SEED), BATCH, TOKENS, WIDTH)).holds();
    }

    @Test
    @DisplayName("with out the identity, each head's q, k and v rows move only that head's output")
    void keepsHeadsApart(NDManager manager) {
        assertThat(new HeadIndependence().check(new WhisperAttentionGolden().kit(), manager, SEED)).holds();
    }

    /** The kata's attention and the reference with the same random weights (no key bias), causal, on a padded batch. */
    private static void agreesWithReference(NDManager manager, int width, int heads) {
        Seeded seeded = Seeded.of(manager, SEED);
        Linear query = Linear.random(seeded, "query", width, width, true);
        Linear key = Linear.random(seeded, "key", width, width, false);
        Linear value = Linear.random(seeded, "value", width, width, true);
        Linear out = Linear.random(seeded, "out", width, width, true);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, width);                                               // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, WhisperAttentionGolden.lengths(seeded, BATCH, TOKENS));  // (B, T)
        AttentionMask mask = AttentionMask.causal(padding);

        NDArray y = new WhisperAttention(query, key, value, out, heads).forward(x, mask);

        assertThat(y).named("Causal attention output, width " + width + ", heads " + heads)
                .against("the reference attention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(new Attention(query, key, value, out, heads, heads, null).forward(x, mask), TOLERANCE);
    }

    /** {@code out} (B, T, C) with every pad position set to 0, whatever it held, NaN included. */
    private static NDArray atTokens(NDArray out, NDArray padding) {
        NDArray token = padding.expandDims(-1).broadcast(out.getShape()).gt(0);   // (B, T, C)
        return NDArrays.where(token, out, out.zerosLike());                        // (B, T, C)
    }
}
