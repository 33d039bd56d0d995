package dev.dojo.katas.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
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
import static dev.dojo.katas.gpt2.CausalSelfAttentionGolden.BATCH;
import static dev.dojo.katas.gpt2.CausalSelfAttentionGolden.MODEL;
import static dev.dojo.katas.gpt2.CausalSelfAttentionGolden.SEED;
import static dev.dojo.katas.gpt2.CausalSelfAttentionGolden.TOKENS;
import static dev.dojo.katas.gpt2.CausalSelfAttentionGolden.TOLERANCE;
import static dev.dojo.katas.gpt2.CausalSelfAttentionGolden.UNMASKED_MODEL;
import static dev.dojo.katas.gpt2.CausalSelfAttentionGolden.WIDTH;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Contract:
// - agrees with a causal torch.nn.MultiheadAttention given a key_padding_mask: a seeded right-padded
//   batch, PyTorch's stored example, a batch without pads (the causal mask alone), the real tokens of a
//   left-padded batch (PyTorch leaves a query that sees no key undefined), batch and sequence sizes other
//   than the example's, and a single token
// - without a causal mask, agrees with torch.nn.MultiheadAttention given a key_padding_mask (right and
//   left padding) and given no mask at all
// - any number of heads that divides the width agrees with the reference attention, one head included;
//   a head count that does not divide the width, and a c_attn that does not make q, k and v, are rejected
// - with a KV cache, agrees with PyTorch's single causal pass: one token per step from an empty cache on
//   a left-padded batch, a prompt followed by one token per step, left-padded prompts followed by one
//   token per step; decoding in steps of one or of several tokens equals the attention's own full pass
// - under a causal mask no output reads a later token; a real token's output ignores what the pads hold
//   (right padding without a causal mask, left padding with one) and the other sequences of the batch
// - with c_proj the identity, each head writes only its own slice of the output; without a mask,
//   permuting the tokens permutes the outputs alike
// - a query that sees no key (a sequence of pads; a pad before the first token under a causal mask)
//   gives finite outputs
@ExtendWith(ScopedManager.class)
class CausalSelfAttentionTest {
    private static final String[] AXES = {"batch", "pos", "dim"};

    // PyTorch's MultiheadAttention, causal

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention on a seeded batch padded on the right")
    void matchesPyTorchCausalAttention(NDManager manager) {
        new CausalSelfAttentionGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its causal, padded example")
    void matchesPyTorchStoredExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);

        NDArray out = CausalSelfAttentionGolden.attention(golden, manager).forward(golden.example(manager, "x"),
                AttentionMask.causal(golden.example(manager, "padding")));

        assertThat(out).named("Causal attention output").against("PyTorch's stored output").withAxes(AXES)
                .isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention on a batch without pads")
    void matchesPyTorchWithoutPads(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                 // (B, T, C)

        NDArray out = attention(manager).forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Causal attention output, no pads").against("PyTorch's MultiheadAttention")
                .withSeed(SEED).withAxes(AXES).isCloseTo(pyTorch(manager, MODEL, x, everyToken(manager, x)), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention on the real tokens of a batch padded on the left")
    void matchesPyTorchOnLeftPaddedBatch(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                                           // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, CausalSelfAttentionGolden.lengths(seeded, BATCH, TOKENS)); // (B, T)

        NDArray out = attention(manager).forward(x, AttentionMask.causal(padding));

        assertThat(atTokens(out, padding)).named("Causal attention output at real tokens, left padding")
                .against("PyTorch's MultiheadAttention").withSeed(SEED).withAxes(AXES)
                .isCloseTo(atTokens(pyTorch(manager, MODEL, x, padding), padding), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention for batch and sequence sizes other than the example's")
    void matchesPyTorchAtOtherSizes(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        int batch = 5;
        int tokens = 12;
        NDArray x = seeded.normal("x", 1, batch, tokens, WIDTH);                                            // (B, T, C)
        NDArray padding = seeded.rightPadding(tokens, CausalSelfAttentionGolden.lengths(seeded, batch, tokens)); // (B, T)

        NDArray out = attention(manager).forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, B 5, T 12").against("PyTorch's MultiheadAttention")
                .withSeed(SEED).withAxes(AXES).isCloseTo(pyTorch(manager, MODEL, x, padding), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention on a single token")
    void matchesPyTorchOnASingleToken(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, 1, WIDTH);   // (B, 1, C)

        NDArray out = attention(manager).forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Causal attention output, one token").against("PyTorch's MultiheadAttention")
                .withSeed(SEED).withAxes(AXES).isCloseTo(pyTorch(manager, MODEL, x, everyToken(manager, x)), TOLERANCE);
    }

    // PyTorch's MultiheadAttention, without a causal mask

    @Test
    @DisplayName("without a causal mask, agrees with torch.nn.MultiheadAttention on a batch padded on the right")
    void matchesPyTorchWithoutCausalMaskOnRightPadding(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                                            // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, CausalSelfAttentionGolden.lengths(seeded, BATCH, TOKENS)); // (B, T)

        NDArray out = unmaskedAttention(manager).forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output, right padding").against("PyTorch's MultiheadAttention")
                .withSeed(SEED).withAxes(AXES).isCloseTo(pyTorch(manager, UNMASKED_MODEL, x, padding), TOLERANCE);
    }

    @Test
    @DisplayName("without a causal mask, agrees with torch.nn.MultiheadAttention on a batch padded on the left")
    void matchesPyTorchWithoutCausalMaskOnLeftPadding(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                                           // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, CausalSelfAttentionGolden.lengths(seeded, BATCH, TOKENS)); // (B, T)

        NDArray out = unmaskedAttention(manager).forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output, left padding").against("PyTorch's MultiheadAttention")
                .withSeed(SEED).withAxes(AXES).isCloseTo(pyTorch(manager, UNMASKED_MODEL, x, padding), TOLERANCE);
    }

    @Test
    @DisplayName("given no mask at all, agrees with torch.nn.MultiheadAttention")
    void matchesPyTorchWithoutAnyMask(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);   // (B, T, C)

        NDArray out = unmaskedAttention(manager).forward(x, AttentionMask.none());

        assertThat(out).named("Attention output, no mask").against("PyTorch's MultiheadAttention").withSeed(SEED)
                .withAxes(AXES).isCloseTo(pyTorch(manager, UNMASKED_MODEL, x, everyToken(manager, x)), TOLERANCE);
    }

    // Heads and shapes

    @ParameterizedTest(name = "width {0}, heads {1}")
    @CsvSource({"16, 2", "16, 8", "24, 3"})
    @DisplayName("agrees with the reference attention for any number of heads that divides the width")
    void matchesReferenceForOtherHeadCounts(int width, int heads, NDManager manager) {
        assertAgreesWithReference(manager, width, heads);
    }

    @Test
    @DisplayName("agrees with the reference attention with a single head")
    void matchesReferenceWithOneHead(NDManager manager) {
        assertAgreesWithReference(manager, WIDTH, 1);
    }

    @Test
    @DisplayName("rejects a number of heads that does not divide the width")
    void rejectsHeadsThatDoNotDivideTheWidth(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Linear cAttn = Linear.random(seeded, "c_attn", WIDTH, 3 * WIDTH, true);
        Linear cProj = Linear.random(seeded, "c_proj", WIDTH, WIDTH, true);

        assertThatThrownBy(() -> new CausalSelfAttention(cAttn, cProj, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heads (3)").hasMessageContaining("width (16)");
    }

    @Test
    @DisplayName("rejects a c_attn that does not project to q, k and v")
    void rejectsAnInputProjectionOfTheWrongWidth(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Linear cAttn = Linear.random(seeded, "c_attn", WIDTH, 2 * WIDTH, true);
        Linear cProj = Linear.random(seeded, "c_proj", WIDTH, WIDTH, true);

        assertThatThrownBy(() -> new CausalSelfAttention(cAttn, cProj, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("c_attn").hasMessageContaining("(16)").hasMessageContaining("32");
    }

    // Generation with a KV cache

    @Test
    @DisplayName("decoding one token per step from an empty cache agrees with PyTorch's single pass, left padding")
    void decodesOneTokenPerStepAsPyTorch(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                                           // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, CausalSelfAttentionGolden.lengths(seeded, BATCH, TOKENS)); // (B, T)

        NDArray out = decode(attention(manager), x, padding, 0);

        assertThat(atTokens(out, padding)).named("Output decoded one token per step, at real tokens")
                .against("PyTorch's causal MultiheadAttention in one pass").withSeed(SEED).withAxes(AXES)
                .isCloseTo(atTokens(pyTorch(manager, MODEL, x, padding), padding), TOLERANCE);
    }

    @Test
    @DisplayName("a prompt, then one token per step, agrees with PyTorch's single pass")
    void decodesAfterAPromptAsPyTorch(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);   // (B, T, C)
        NDArray padding = everyToken(manager, x);                                      // (B, T)

        NDArray out = decode(attention(manager), x, padding, 4);

        assertThat(out).named("Output of a 4-token prompt, then one token per step")
                .against("PyTorch's causal MultiheadAttention in one pass").withSeed(SEED).withAxes(AXES)
                .isCloseTo(pyTorch(manager, MODEL, x, padding), TOLERANCE);
    }

    @Test
    @DisplayName("left-padded prompts, then one token per step, agree with PyTorch's single pass on the real tokens")
    void decodesAfterLeftPaddedPromptsAsPyTorch(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        int prompt = 4;
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                                      // (B, T, C)
        NDArray padding = seeded.leftPadding(prompt, CausalSelfAttentionGolden.lengths(seeded, BATCH, prompt))
                .concat(manager.ones(new Shape(BATCH, TOKENS - prompt)), 1);                           // (B, T)

        NDArray out = decode(attention(manager), x, padding, prompt);

        assertThat(atTokens(out, padding)).named("Output of left-padded prompts, then one token per step")
                .against("PyTorch's causal MultiheadAttention in one pass").withSeed(SEED).withAxes(AXES)
                .isCloseTo(atTokens(pyTorch(manager, MODEL, x, padding), padding), TOLERANCE);
    }

    @Test
    @DisplayName("decoding with a KV cache, one token or several per step, equals its own full causal pass")
    void decodesAsItsOwnFullPass(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);

        assertThat(KvCacheEquivalence.check(attention(manager), seeded, 2, 6, WIDTH)).holds();
    }

    // What each output may read

    @Test
    @DisplayName("under a causal mask, leaves every output before a token unchanged when that token changes")
    void keepsCausalOrder(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);

        assertThat(Causality.check(attention(manager)::forward, seeded, 2, 8, WIDTH, 4)).holds();
    }

    @Test
    @DisplayName("without a causal mask, gives a real token the same output whatever the right pads hold")
    void ignoresWhatThePadsHold(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);      // (B, T)

        assertThat(PaddingIndependence.check(attention(manager)::forward, x, padding, false, seeded)).holds();
    }

    @Test
    @DisplayName("under a causal mask, gives a real token the same output whatever the left pads before it hold")
    void ignoresWhatThePadsBeforeATokenHold(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 4, 2);       // (B, T)

        assertThat(PaddingIndependence.check(attention(manager)::forward, x, padding, true, seeded)).holds();
    }

    @Test
    @DisplayName("computes each sequence of a padded batch as if it were alone")
    void keepsSequencesIndependent(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);      // (B, T)

        assertThat(BatchIndependence.check(attention(manager)::forward, x, padding, true, SEED)).holds();
    }

    @Test
    @DisplayName("with c_proj the identity, changing one head's weights changes only that head's slice of the output")
    void keepsHeadsApart(NDManager manager) {
        assertThat(new HeadIndependence().check(new CausalSelfAttentionGolden().kit(), manager, SEED)).holds();
    }

    @Test
    @DisplayName("without a mask, permuting the tokens permutes the outputs alike")
    void permutesWithTheTokens(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);

        assertThat(PermutationEquivariance.check(unmaskedAttention(manager), seeded, 2, 6, WIDTH)).holds();
    }

    // Rows that see no key

    @Test
    @DisplayName("gives finite outputs for a sequence that is all padding")
    void staysFiniteForASequenceOfPads(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, 2, TOKENS, WIDTH);                 // (B, T, C)
        NDArray padding = manager.create(new float[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                new Shape(2, TOKENS));                                                          // (B, T): item 1 all pads

        NDArray out = attention(manager).forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, item 1 all pads").withAxes(AXES).isFinite();
    }

    @Test
    @DisplayName("under a causal mask, gives finite outputs at pads that come before every token")
    void staysFiniteForPadsBeforeTheFirstToken(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 4, 2);       // (B, T)

        NDArray out = attention(manager).forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, left padding").withAxes(AXES).isFinite();
    }

    // Helpers

    /** The attention under test with the causal golden module's weights. */
    private static CausalSelfAttention attention(NDManager manager) {
        return CausalSelfAttentionGolden.attention(GoldenModel.named(MODEL), manager);
    }

    /** The attention under test with the weights of the golden module that has no causal mask. */
    private static CausalSelfAttention unmaskedAttention(NDManager manager) {
        return CausalSelfAttentionGolden.attention(GoldenModel.named(UNMASKED_MODEL), manager);
    }

    /** The golden module {@code model} run by PyTorch on x: (B, T, C) with padding (B, T), 1 for a token. */
    private static NDArray pyTorch(NDManager manager, String model, NDArray x, NDArray padding) {
        return GoldenModel.named(model).run(manager, x, padding).singletonOrThrow();
    }

    /** A (B, T) padding mask of ones for x: (B, T, C). */
    private static NDArray everyToken(NDManager manager, NDArray x) {
        return manager.ones(new Shape(x.getShape().get(0), x.getShape().get(1)));
    }

    /**
     * x: (B, T, C) through a fresh KV cache under a causal mask: the first {@code prompt} tokens in one
     * call (none when 0), then one token per call; each call's padding covers every key seen so far.
     */
    private static NDArray decode(CausalSelfAttention attention, NDArray x, NDArray padding, long prompt) {
        KvCache cache = new KvCache();
        long tokens = x.getShape().get(1);
        NDArray out = null;
        for (long from = 0, to = Math.max(prompt, 1); from < tokens; from = to, to = from + 1) {
            NDArray step = x.get(new NDIndex(":, {}:{}", from, to));                            // (B, t, C)
            NDArray y = attention.forward(step, AttentionMask.causal(padding.get(new NDIndex(":, :{}", to))), cache);
            out = out == null ? y : out.concat(y, 1);
        }
        return out;                                                                          // (B, T, C)
    }

    private static void assertAgreesWithReference(NDManager manager, int width, int heads) {
        Seeded seeded = Seeded.of(manager, SEED);
        Linear wq = Linear.random(seeded, "q", width, width, true);
        Linear wk = Linear.random(seeded, "k", width, width, true);
        Linear wv = Linear.random(seeded, "v", width, width, true);
        Linear wo = Linear.random(seeded, "o", width, width, true);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, width);                                           // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, CausalSelfAttentionGolden.lengths(seeded, BATCH, TOKENS)); // (B, T)
        AttentionMask mask = AttentionMask.causal(padding);
        CausalSelfAttention attention = new CausalSelfAttention(CausalSelfAttentionGolden.packed(wq, wk, wv), wo, heads);

        NDArray out = attention.forward(x, mask);

        assertThat(out).named("Causal attention output, heads " + heads).against("the reference attention")
                .withSeed(SEED).withAxes(AXES)
                .isCloseTo(new Attention(wq, wk, wv, wo, heads, heads, null).forward(x, mask), TOLERANCE);
    }

    /** {@code out} (B, T, C) with every pad position set to 0, whatever it held, NaN included. */
    private static NDArray atTokens(NDArray out, NDArray padding) {
        NDArray token = padding.expandDims(-1).broadcast(out.getShape()).gt(0);   // (B, T, C)
        return NDArrays.where(token, out, out.zerosLike());                        // (B, T, C)
    }
}
