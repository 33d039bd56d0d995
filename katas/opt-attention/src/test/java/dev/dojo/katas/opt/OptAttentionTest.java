package dev.dojo.katas.opt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.probes.BatchIndependence;
import dev.dojo.probes.Causality;
import dev.dojo.probes.HeadIndependence;
import dev.dojo.probes.KvCacheEquivalence;
import dev.dojo.probes.PaddingIndependence;
import dev.dojo.probes.PermutationEquivariance;
import dev.dojo.probes.RowSums;
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
import org.junit.jupiter.params.provider.EnumSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.opt.OptAttentionGolden.BATCH;
import static dev.dojo.katas.opt.OptAttentionGolden.HEADS;
import static dev.dojo.katas.opt.OptAttentionGolden.MODEL;
import static dev.dojo.katas.opt.OptAttentionGolden.PADDING_MODEL;
import static dev.dojo.katas.opt.OptAttentionGolden.SEED;
import static dev.dojo.katas.opt.OptAttentionGolden.TOKENS;
import static dev.dojo.katas.opt.OptAttentionGolden.TOLERANCE;
import static dev.dojo.katas.opt.OptAttentionGolden.WIDTH;
import static dev.dojo.katas.opt.OptAttentionGolden.lengths;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Contract:
// - agrees with torch.nn.MultiheadAttention (C 16, 4 heads, biases) under a causal mask: a seeded
//   right-padded batch, PyTorch's stored example, a batch without pads, the real tokens of a left-padded
//   batch (PyTorch leaves a query that sees no key undefined), other batch and sequence sizes, a single token,
//   a padding mask of booleans or integers
// - agrees with it without a causal mask: padding only (PyTorch's stored example, left padding) and no mask
// - with a KV cache: one token per step from an empty cache, a prompt then one token per step, and
//   left-padded prompts then one token per step all give PyTorch's single pass; decoding step by step or
//   in chunks equals its own full pass
// - agrees with the reference attention for 1, 2, 8 heads of width 16 and 3 of width 24, and when the
//   scores are large (q and k weights x 30: nearly one-hot weights)
// - each query's weights sum to 1; no output reads a later token, even when the scores are large (q and k
//   weights x 1000), nor a pad (right; left under the causal
//   mask) or another sequence of the batch; without a mask, permuting the tokens permutes the outputs;
//   each head's q, k, v rows move only that head's slice
// - a query that sees no key (a sequence of pads only, pads before the first token) stays finite
// - a number of heads that does not divide the width is rejected
@ExtendWith(ScopedManager.class)
class OptAttentionTest {
    private static final String[] AXES = {"batch", "pos", "dim"};

    // PyTorch's MultiheadAttention, under a causal mask

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention on a seeded batch padded on the right")
    void matchesPyTorchCausalMultiheadAttention(NDManager manager) {
        new OptAttentionGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its causal, padded example")
    void matchesPyTorchStoredCausalExample(NDManager manager) {
        assertAgreesWithStoredExample(manager, MODEL, true);
    }

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention on a batch without pads")
    void matchesPyTorchCausalWithoutPads(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);             // (B, T, C)

        NDArray out = attention(manager).forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Causal attention output, no pads").against("PyTorch's causal MultiheadAttention")
                .withSeed(SEED).withAxes(AXES).isCloseTo(pyTorch(manager, MODEL, x, everyToken(manager, x)), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention on the real tokens of a batch padded on the left")
    void matchesPyTorchCausalOnLeftPaddedBatch(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                               // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, lengths(seeded, BATCH, TOKENS));          // (B, T)

        NDArray out = attention(manager).forward(x, AttentionMask.causal(padding));

        assertThat(atTokens(out, padding)).named("Causal attention output at real tokens, left padding")
                .against("PyTorch's causal MultiheadAttention").withSeed(SEED).withAxes(AXES)
                .isCloseTo(atTokens(pyTorch(manager, MODEL, x, padding), padding), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: batch {0}, tokens {1}")
    @CsvSource({"5, 12", "1, 2"})
    @DisplayName("agrees with causal torch.nn.MultiheadAttention for batch and sequence sizes other than the example's")
    void matchesPyTorchAtOtherSizes(int batch, int tokens, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, batch, tokens, WIDTH);                               // (B, T, C)
        NDArray padding = seeded.rightPadding(tokens, lengths(seeded, batch, tokens));         // (B, T)

        NDArray out = attention(manager).forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, B " + batch + ", T " + tokens)
                .against("PyTorch's causal MultiheadAttention").withSeed(SEED).withAxes(AXES)
                .isCloseTo(pyTorch(manager, MODEL, x, padding), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention on a single token")
    void matchesPyTorchOnSingleToken(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, 2, 1, WIDTH);                       // (B, 1, C)

        NDArray out = attention(manager).forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Causal attention output, one token").against("PyTorch's causal MultiheadAttention")
                .withSeed(SEED).withAxes(AXES).isCloseTo(pyTorch(manager, MODEL, x, everyToken(manager, x)), TOLERANCE);
    }

    // PyTorch's MultiheadAttention, without a causal mask

    @Test
    @DisplayName("without a causal mask, agrees with the output PyTorch stored for its padded example")
    void matchesPyTorchStoredPaddedExample(NDManager manager) {
        assertAgreesWithStoredExample(manager, PADDING_MODEL, false);
    }

    @Test
    @DisplayName("without a causal mask, agrees with torch.nn.MultiheadAttention on a batch padded on the left")
    void matchesPyTorchOnLeftPaddedBatch(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                               // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, lengths(seeded, BATCH, TOKENS));          // (B, T)

        NDArray out = OptAttentionGolden.attention(manager, PADDING_MODEL).forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output, left padding").against("PyTorch's MultiheadAttention")
                .withSeed(SEED).withAxes(AXES).isCloseTo(pyTorch(manager, PADDING_MODEL, x, padding), TOLERANCE);
    }

    @Test
    @DisplayName("given no mask at all, agrees with torch.nn.MultiheadAttention")
    void matchesPyTorchWithoutMask(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);             // (B, T, C)

        NDArray out = OptAttentionGolden.attention(manager, PADDING_MODEL).forward(x, AttentionMask.none());

        assertThat(out).named("Attention output, no mask").against("PyTorch's MultiheadAttention").withSeed(SEED)
                .withAxes(AXES).isCloseTo(pyTorch(manager, PADDING_MODEL, x, everyToken(manager, x)), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: {0}")
    @EnumSource(value = DataType.class, names = {"BOOLEAN", "INT64"})
    @DisplayName("agrees with causal torch.nn.MultiheadAttention when the padding mask holds booleans or integers")
    void matchesPyTorchWithAMaskOfAnyType(DataType type, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                               // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, lengths(seeded, BATCH, TOKENS));         // (B, T)

        NDArray out = attention(manager).forward(x, AttentionMask.causal(padding.toType(type, false)));

        assertThat(out).named("Causal attention output, a padding mask of " + type)
                .against("PyTorch's causal MultiheadAttention").withSeed(SEED).withAxes(AXES)
                .isCloseTo(pyTorch(manager, MODEL, x, padding), TOLERANCE);
    }

    // Generation with a KV cache

    @Test
    @DisplayName("decoding one token per step from an empty cache agrees with PyTorch's single pass")
    void decodesOneTokenPerStepAsPyTorch(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);             // (B, T, C)
        NDArray padding = everyToken(manager, x);                                              // (B, T)

        NDArray out = decode(attention(manager), x, padding, 0);

        assertThat(out).named("Output decoded one token per step").against("PyTorch's causal MultiheadAttention")
                .withSeed(SEED).withAxes(AXES).isCloseTo(pyTorch(manager, MODEL, x, padding), TOLERANCE);
    }

    @Test
    @DisplayName("a prompt, then one token per step, agrees with PyTorch's single pass")
    void decodesAfterAPromptAsPyTorch(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);             // (B, T, C)
        NDArray padding = everyToken(manager, x);                                              // (B, T)

        NDArray out = decode(attention(manager), x, padding, 4);

        assertThat(out).named("Output of a 4-token prompt, then one token per step")
                .against("PyTorch's causal MultiheadAttention").withSeed(SEED).withAxes(AXES)
                .isCloseTo(pyTorch(manager, MODEL, x, padding), TOLERANCE);
    }

    @Test
    @DisplayName("left-padded prompts, then one token per step, agree with PyTorch's single pass on the real tokens")
    void decodesAfterLeftPaddedPromptsAsPyTorch(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        int prompt = 4;
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                               // (B, T, C)
        NDArray padding = seeded.leftPadding(prompt, lengths(seeded, BATCH, prompt))
                .concat(manager.ones(new Shape(BATCH, TOKENS - prompt)), 1);                   // (B, T)

        NDArray out = decode(attention(manager), x, padding, prompt);

        assertThat(atTokens(out, padding)).named("Output of left-padded prompts, then one token per step")
                .against("PyTorch's causal MultiheadAttention").withSeed(SEED).withAxes(AXES)
                .isCloseTo(atTokens(pyTorch(manager, MODEL, x, padding), padding), TOLERANCE);
    }

    @Test
    @DisplayName("decoding with a KV cache, one token or several per step, equals its own full causal pass")
    void decodesAsItsOwnFullPass(NDManager manager) {
        assertThat(KvCacheEquivalence.check(attention(manager), Seeded.of(manager, SEED), 2, 6, WIDTH)).holds();
    }

    // The reference attention, for other heads and scales

    @ParameterizedTest(name = "{displayName}: width {0}, heads {1}")
    @CsvSource({"16, 1", "16, 2", "16, 8", "24, 3"})
    @DisplayName("agrees with the reference attention on a left-padded batch for any number of heads that divides the width")
    void matchesReferenceForOtherHeadCounts(int width, int heads, NDManager manager) {
        assertAgreesWithReference(manager, width, heads, 1);
    }

    @Test
    @DisplayName("agrees with the reference attention when the scores are large and the weights nearly one-hot")
    void matchesReferenceWithSharpWeights(NDManager manager) {
        assertAgreesWithReference(manager, WIDTH, HEADS, 30);
    }

    // What each output may read, and what its weights are

    @Test
    @DisplayName("each query's attention weights over the keys sum to 1, under a causal mask on a padded batch")
    void weighsEveryQueryToOne(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Linear q = Linear.random(seeded, "q_proj", WIDTH, WIDTH, true);
        Linear k = Linear.random(seeded, "k_proj", WIDTH, WIDTH, true);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                               // (B, T, C)
        AttentionMask mask = AttentionMask.causal(seeded.rightPadding(TOKENS, lengths(seeded, BATCH, TOKENS)));

        assertThat(RowSums.check(new OptAttentionGolden().kit().attention(), q, k, HEADS, HEADS, null, x, mask, SEED))
                .holds();
    }

    @Test
    @DisplayName("under a causal mask, leaves every output before a token unchanged when that token changes")
    void seesNoLaterToken(NDManager manager) {
        assertThat(Causality.check(attention(manager)::forward, Seeded.of(manager, SEED), BATCH, TOKENS, WIDTH, 3))
                .holds();
    }

    @Test
    @DisplayName("under a causal mask, leaves every output before a token unchanged when the scores are large (q and k weights x 1000)")
    void seesNoLaterTokenWithLargeScores(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Linear q = Linear.random(seeded, "q_proj", WIDTH, WIDTH, true);
        Linear k = Linear.random(seeded, "k_proj", WIDTH, WIDTH, true);
        Linear v = Linear.random(seeded, "v_proj", WIDTH, WIDTH, true);
        Linear o = Linear.random(seeded, "out_proj", WIDTH, WIDTH, true);
        OptAttention attention = new OptAttention(new Linear(q.weight().mul(1000f), null),
                new Linear(k.weight().mul(1000f), null), v, o, HEADS);

        assertThat(Causality.check(attention::forward, seeded, BATCH, TOKENS, WIDTH, 3)).holds();
    }

    @Test
    @DisplayName("without a causal mask, gives a real token the same output whatever the pads after it hold")
    void ignoresWhatThePadsHold(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                               // (B, T, C)

        assertThat(PaddingIndependence.check(OptAttentionGolden.attention(manager, PADDING_MODEL)::forward, x,
                seeded.rightPadding(TOKENS, TOKENS, 4, 2), false, seeded)).holds();
    }

    @Test
    @DisplayName("under a causal mask, gives a real token the same output whatever the pads before it hold")
    void ignoresWhatThePadsBeforeATokenHold(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                               // (B, T, C)

        assertThat(PaddingIndependence.check(attention(manager)::forward, x, seeded.leftPadding(TOKENS, TOKENS, 4, 2),
                true, seeded)).holds();
    }

    @Test
    @DisplayName("computes each sequence of a padded batch as if it were alone")
    void keepsSequencesIndependent(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                               // (B, T, C)

        assertThat(BatchIndependence.check(attention(manager)::forward, x, seeded.rightPadding(TOKENS, TOKENS, 4, 2),
                true, SEED)).holds();
    }

    @Test
    @DisplayName("without a mask, permutes its outputs as its input tokens are permuted")
    void treatsTokensAsASet(NDManager manager) {
        assertThat(PermutationEquivariance.check(attention(manager), Seeded.of(manager, SEED), BATCH, TOKENS, WIDTH))
                .holds();
    }

    @Test
    @DisplayName("with out_proj the identity, each head's q, k and v rows move only that head's output")
    void keepsHeadsApart(NDManager manager) {
        assertThat(new HeadIndependence().check(new OptAttentionGolden().kit(), manager, SEED)).holds();
    }

    // Rows with nothing to see, and the constructor

    @Test
    @DisplayName("gives finite outputs for a sequence that is all padding and for pads before the first token")
    void staysFiniteWhereAQuerySeesNoKey(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 2, TOKENS, WIDTH);                                   // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, 3, 1)
                .mul(manager.create(new float[] {1, 0}).reshape(2, 1));                        // (B, T): item 1 all pads

        NDArray out = attention(manager).forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, left padding, item 1 all pads").withAxes(AXES).isFinite();
    }

    @Test
    @DisplayName("rejects a number of heads that does not divide the width, naming both")
    void rejectsHeadsThatDoNotDivideTheWidth(NDManager manager) {
        Linear w = Linear.random(Seeded.of(manager, SEED), "w", WIDTH, WIDTH, true);

        assertThatThrownBy(() -> new OptAttention(w, w, w, w, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16").hasMessageContaining("3");
    }

    private static OptAttention attention(NDManager manager) {
        return OptAttentionGolden.attention(manager, MODEL);
    }

    private static void assertAgreesWithStoredExample(NDManager manager, String model, boolean causal) {
        GoldenModel golden = GoldenModel.named(model);

        NDArray out = OptAttentionGolden.attention(manager, model).forward(golden.example(manager, "x"),
                new AttentionMask(causal, golden.example(manager, "padding")));

        assertThat(out).named(causal ? "Causal attention output" : "Attention output").against("PyTorch's stored output")
                .withAxes(AXES).isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    /** The kata's attention and the reference with the same random weights, q and k scaled by {@code sharpness}. */
    private static void assertAgreesWithReference(NDManager manager, int width, int heads, float sharpness) {
        Seeded seeded = Seeded.of(manager, SEED);
        Linear q = Linear.random(seeded, "q_proj", width, width, true);
        Linear k = Linear.random(seeded, "k_proj", width, width, true);
        Linear v = Linear.random(seeded, "v_proj", width, width, true);
        Linear o = Linear.random(seeded, "out_proj", width, width, true);
        q = new Linear(q.weight().mul(sharpness), q.bias());
        k = new Linear(k.weight().mul(sharpness), k.bias());
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, width);                               // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, lengths(seeded, BATCH, TOKENS));          // (B, T)
        AttentionMask mask = AttentionMask.causal(padding);

        NDArray out = new OptAttention(q, k, v, o, heads).forward(x, mask);

        assertThat(atTokens(out, padding)).named("Causal attention output at real tokens, width " + width + ", heads "
                        + heads + (sharpness == 1 ? "" : ", q and k weights x" + (int) sharpness))
                .against("the reference attention").withSeed(SEED).withAxes(AXES)
                .isCloseTo(atTokens(new Attention(q, k, v, o, heads, heads, null).forward(x, mask), padding), TOLERANCE);
    }

    /** Feeds x: (B, T, C) to a fresh cache, a prompt of {@code prompt} tokens then one per step; (B, T, C). */
    private static NDArray decode(OptAttention attention, NDArray x, NDArray padding, long prompt) {
        KvCache cache = new KvCache();
        long tokens = x.getShape().get(1);
        NDArray out = null;
        for (long from = 0, to = Math.max(prompt, 1); from < tokens; from = to, to = from + 1) {
            NDArray step = x.get(new NDIndex(":, {}:{}", from, to));                           // (B, t, C)
            NDArray y = attention.forward(step, AttentionMask.causal(padding.get(new NDIndex(":, :{}", to))), cache);
            out = out == null ? y : out.concat(y, 1);
        }
        return out;
    }

    private static NDArray pyTorch(NDManager manager, String model, NDArray x, NDArray padding) {
        return GoldenModel.named(model).run(manager, x, padding).singletonOrThrow();
    }

    private static NDArray everyToken(NDManager manager, NDArray x) {
        return manager.ones(new Shape(x.getShape().get(0), x.getShape().get(1)));              // (B, T)
    }

    /** out at the real tokens, 0 at the pads: (B, T, C). */
    private static NDArray atTokens(NDArray out, NDArray padding) {
        NDArray token = padding.expandDims(-1).broadcast(out.getShape()).gt(0);               // (B, T, C)
        return NDArrays.where(token, out, out.zerosLike());                                   // (B, T, C)
    }
}
