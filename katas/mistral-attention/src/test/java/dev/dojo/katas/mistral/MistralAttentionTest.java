package dev.dojo.katas.mistral;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.probes.BatchIndependence;
import dev.dojo.probes.Causality;
import dev.dojo.probes.KvCacheEquivalence;
import dev.dojo.probes.PaddingIndependence;
import dev.dojo.probes.RollingBufferEquivalence;
import dev.dojo.probes.SlidingWindow;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
import dev.dojo.reference.RollingKvCache;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.Rotary;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.mistral.MistralAttentionGolden.BATCH;
import static dev.dojo.katas.mistral.MistralAttentionGolden.HEADS;
import static dev.dojo.katas.mistral.MistralAttentionGolden.HEAD_SIZE;
import static dev.dojo.katas.mistral.MistralAttentionGolden.KV_HEADS;
import static dev.dojo.katas.mistral.MistralAttentionGolden.MODEL;
import static dev.dojo.katas.mistral.MistralAttentionGolden.SEED;
import static dev.dojo.katas.mistral.MistralAttentionGolden.THETA;
import static dev.dojo.katas.mistral.MistralAttentionGolden.TOKENS;
import static dev.dojo.katas.mistral.MistralAttentionGolden.TOLERANCE;
import static dev.dojo.katas.mistral.MistralAttentionGolden.WIDTH;
import static dev.dojo.katas.mistral.MistralAttentionGolden.pyTorch;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Contract:
// - agrees with a Mistral-style attention in PyTorch (C 32, 4 query heads, 2 KV heads, rotate_half RoPE,
//   sliding-window causal mask) on a seeded batch and window, on PyTorch's stored examples for windows
//   of 3, 1 and 10 (as long as the sequence), for windows 2, 4 and 7, and at other batch and sequence sizes
// - while the whole sequence fits in the window (T <= W), and for a window as long as the sequence or
//   longer, it is plain causal attention
// - under a window, agrees with the reference attention with right or left padding, and for other query
//   and KV head counts (8 and 2, 4 and 4, 4 and 1, 6 and 3)
// - without a window, agrees with the reference under every mask layout: none, causal, padding on the
//   right or on the left, causal with either padding; without RoPE it is causal torch.nn.MultiheadAttention
// - decoding through Mistral's rolling buffer of W slots, or with a KV cache that keeps every token, gives
//   PyTorch's output past the wrap, and the reference's for a left-padded batch; either way decoding
//   equals its own full pass
// - a padding mask of booleans or integers reads as one of floats
// - under a window of W, query i gives weight to keys i-W+1..i and to no other, for W = 1 and W = 3
// - a token never depends on later tokens, on what the pads hold or on the other sentences of the batch;
//   a query that sees no key stays finite
// - KV heads that do not divide the query heads are rejected
@ExtendWith(ScopedManager.class)
class MistralAttentionTest {
    /** torch.nn.MultiheadAttention (C 16, 4 heads, biases) with a causal and a key padding mask. */
    private static final String MULTIHEAD_MODEL = "multihead_attention";

    @Test
    @DisplayName("agrees with Mistral-style attention in PyTorch on a seeded batch and window")
    void matchesPyTorchSlidingWindowAttention(NDManager manager) {
        new MistralAttentionGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its example, under a window of 3")
    void matchesPyTorchStoredExample(NDManager manager) {
        assertAgreesWithStoredOutput(manager, 3, "out");
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its example, under a window of 1")
    void matchesPyTorchStoredExampleWithAWindowOfOne(NDManager manager) {
        assertAgreesWithStoredOutput(manager, 1, "out_window1");
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its example, under a window as long as the sequence")
    void matchesPyTorchStoredExampleWithAWindowAsLongAsTheSequence(NDManager manager) {
        assertAgreesWithStoredOutput(manager, 10, "out_window10");
    }

    @ParameterizedTest(name = "{displayName}: window {0}")
    @ValueSource(ints = {2, 4, 7})
    @DisplayName("agrees with Mistral-style attention in PyTorch for windows other than the example's")
    void matchesPyTorchForOtherWindows(int window, NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);      // (B, T, C)

        NDArray out = attention(manager).forward(x, AttentionMask.slidingWindow(window));

        assertThat(out).named("Attention output, window " + window).against("Mistral-style attention in PyTorch")
                .withSeed(SEED).withAxes("batch", "pos", "dim").isCloseTo(pyTorch(manager, x, window), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: batch {0}, tokens {1}, window {2}")
    @CsvSource({"3, 9, 2", "1, 16, 5"})
    @DisplayName("agrees with Mistral-style attention in PyTorch for batch and sequence sizes other than the example's")
    void matchesPyTorchAtOtherSizes(long batch, long tokens, int window, NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, batch, tokens, WIDTH);      // (B, T, C)

        NDArray out = attention(manager).forward(x, AttentionMask.slidingWindow(window));

        assertThat(out).named("Attention output, B " + batch + ", T " + tokens + ", window " + window)
                .against("Mistral-style attention in PyTorch").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(pyTorch(manager, x, window), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: tokens {0}, window {1}")
    @CsvSource({"4, 4", "5, 8", "1, 1"})
    @DisplayName("agrees with Mistral-style attention in PyTorch while the whole sequence fits in the window")
    void matchesPyTorchWhileTheSequenceFitsInTheWindow(long tokens, int window, NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, tokens, WIDTH);      // (B, T, C)

        NDArray out = attention(manager).forward(x, AttentionMask.slidingWindow(window));

        assertThat(out).named("Attention output, T " + tokens + ", window " + window)
                .against("Mistral-style attention in PyTorch").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(pyTorch(manager, x, window), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: window {0}")
    @ValueSource(ints = {TOKENS, TOKENS + 5})
    @DisplayName("is plain causal attention under a window as long as the sequence or longer")
    void isCausalAttentionWhenTheWindowCoversTheSequence(int window, NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);      // (B, T, C)

        NDArray out = attention(manager).forward(x, AttentionMask.slidingWindow(window));

        assertThat(out).named("Attention output, T " + TOKENS + ", window " + window)
                .against("the reference's causal attention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(reference(manager).forward(x, AttentionMask.causalOnly()), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: {0} padding")
    @ValueSource(strings = {"right", "left"})
    @DisplayName("agrees with the reference attention under a window of 3 on a padded batch")
    void matchesReferenceUnderAWindowWithPadding(String side, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = side.equals("right") ? seeded.rightPadding(TOKENS, TOKENS, 8, 5)
                : seeded.leftPadding(TOKENS, TOKENS, 8, 5);                              // (B, T)
        AttentionMask mask = AttentionMask.slidingWindow(3, padding);

        NDArray out = attention(manager).forward(x, mask);

        assertThat(out).named("Attention output, window 3, " + side + " padding").against("the reference attention")
                .withSeed(SEED).withAxes("batch", "pos", "dim").isCloseTo(reference(manager).forward(x, mask), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: {0}")
    @ValueSource(strings = {"BOOLEAN", "INT64"})
    @DisplayName("reads a padding mask of booleans or integers as it reads one of floats")
    void acceptsAPaddingMaskOfAnyType(DataType type, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 8, 5);                     // (B, T)
        MistralAttention attention = attention(manager);

        NDArray out = attention.forward(x, AttentionMask.slidingWindow(TOKENS, padding.toType(type, false)));

        assertThat(out).named("Attention output, padding of " + type).against("the same padding as float32")
                .withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(attention.forward(x, AttentionMask.slidingWindow(TOKENS, padding)), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: causal {0}, {1} padding")
    @CsvSource({"false, no", "true, no", "false, right", "false, left", "true, right", "true, left"})
    @DisplayName("agrees with the reference attention under every mask layout without a window")
    void matchesReferenceUnderEveryMaskLayoutWithoutAWindow(boolean causal, String side, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = switch (side) {                                                // (B, T)
            case "right" -> seeded.rightPadding(TOKENS, TOKENS, 8, 5);
            case "left" -> seeded.leftPadding(TOKENS, TOKENS, 8, 5);
            default -> null;
        };
        AttentionMask mask = new AttentionMask(causal, padding);

        NDArray out = attention(manager).forward(x, mask);

        assertThat(out).named("Attention output, causal " + causal + ", " + side + " padding")
                .against("the reference attention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(reference(manager).forward(x, mask), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: width {0}, heads {1}, KV heads {2}")
    @CsvSource({"32, 8, 2", "32, 4, 4", "32, 4, 1", "24, 6, 3"})
    @DisplayName("agrees with the reference attention under a window of 3 for other head counts")
    void matchesReferenceForOtherHeadCounts(int width, int heads, int kvHeads, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Rotary rope = new RotaryEmbedding(width / heads, THETA, RopePairing.HALF_SPLIT);
        Attention reference = Attention.random(seeded, "attention", width, heads, kvHeads, rope);
        MistralAttention attention = new MistralAttention(reference.wq(), reference.wk(), reference.wv(),
                reference.wo(), heads, kvHeads, rope);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, width);                        // (B, T, C)

        NDArray out = attention.forward(x, AttentionMask.slidingWindow(3));

        assertThat(out).named("Attention output, " + heads + " heads, " + kvHeads + " KV heads, window 3")
                .against("the reference attention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(reference.forward(x, AttentionMask.slidingWindow(3)), TOLERANCE);
    }

    @Test
    @DisplayName("without a rotary embedding, agrees with causal torch.nn.MultiheadAttention on a padded batch")
    void matchesPyTorchMultiheadAttentionWithoutRope(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MULTIHEAD_MODEL);
        Attention mha = Attention.fromTorchMultihead(golden.parameters(manager).under("mha"), 4);
        MistralAttention attention = new MistralAttention(mha.wq(), mha.wk(), mha.wv(), mha.wo(), 4, 4, null);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, 7, 16);                                    // (B, T, C)
        NDArray padding = seeded.rightPadding(7, 7, 5, 3);                              // (B, T)

        NDArray out = attention.forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Attention output without RoPE, causal, right padding")
                .against("PyTorch's MultiheadAttention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("decodes through a rolling buffer of 3 slots, a prompt of 4 and then one token per step, as PyTorch")
    void decodesThroughARollingBufferAsPyTorch(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);      // (B, T, C)

        NDArray decoded = decode(attention(manager), new RollingKvCache(3), x, 3, 4);

        assertThat(decoded).named("Prompt of 4, then one token per step, rolling buffer of 3")
                .against("Mistral-style attention in PyTorch, window 3").withSeed(SEED)
                .withAxes("batch", "pos", "dim").isCloseTo(pyTorch(manager, x, 3), TOLERANCE);
    }

    @Test
    @DisplayName("decodes with a KV cache that keeps every token, a prompt of 5 and then one token per step, as PyTorch")
    void decodesWithAFullKvCacheAsPyTorch(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);      // (B, T, C)

        NDArray decoded = decode(attention(manager), new KvCache(), x, 2, 5);

        assertThat(decoded).named("Prompt of 5, then one token per step, full KV cache")
                .against("Mistral-style attention in PyTorch, window 2").withSeed(SEED)
                .withAxes("batch", "pos", "dim").isCloseTo(pyTorch(manager, x, 2), TOLERANCE);
    }

    @Test
    @DisplayName("decodes a left-padded batch through a rolling buffer of 3 slots as the reference's full pass, on every real token")
    void decodesALeftPaddedBatchThroughARollingBuffer(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 8, 5);                     // (B, T)
        MistralAttention attention = attention(manager);
        KvCache cache = new RollingKvCache(3);
        NDArray decoded = null;

        for (long t = 0; t < TOKENS; t++) {
            AttentionMask seen = AttentionMask.slidingWindow(3, padding.get(new NDIndex(":, :{}", t + 1)));
            NDArray step = attention.forward(x.get(new NDIndex(":, {}:{}", t, t + 1)), seen, cache);   // (B, 1, C)
            decoded = decoded == null ? step : decoded.concat(step, 1);
        }

        NDArray real = padding.expandDims(-1);                                          // (B, T, 1): 1 = token
        NDArray full = reference(manager).forward(x, AttentionMask.slidingWindow(3, padding));
        assertThat(decoded.mul(real)).named("Left-padded batch, one token per step, rolling buffer of 3, real tokens")
                .against("the reference's full pass, window 3").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(full.mul(real), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: window {0}")
    @ValueSource(ints = {1, 3})
    @DisplayName("decoding through a rolling buffer, one token or W + 1 per step, equals its own full pass under the window")
    void decodesThroughARollingBufferAsInOnePass(int window, NDManager manager) {
        assertThat(RollingBufferEquivalence.check(attention(manager), () -> new RollingKvCache(window), window,
                Seeded.of(manager, SEED), BATCH, TOKENS, WIDTH)).holds();
    }

    @Test
    @DisplayName("decoding with a KV cache, one token or several per step, equals its own full causal pass")
    void decodesWithAKvCacheAsInOnePass(NDManager manager) {
        assertThat(KvCacheEquivalence.check(attention(manager), Seeded.of(manager, SEED), BATCH, TOKENS, WIDTH)).holds();
    }

    @ParameterizedTest(name = "{displayName}: window {0}")
    @ValueSource(ints = {1, 3})
    @DisplayName("under a window of W, gives weight to the last W keys up to each query and to no other")
    void weighsTheLastWKeys(int window, NDManager manager) {
        Linear q = attentionWeights(manager, "q_proj");
        Linear k = attentionWeights(manager, "k_proj");

        assertThat(SlidingWindow.check(MistralAttention::new, q, k, HEADS, KV_HEADS, MistralAttentionGolden.rope(),
                window, Seeded.of(manager, SEED), BATCH, 10, WIDTH)).holds();
    }

    @Test
    @DisplayName("under a window, never lets a token's output depend on a later token")
    void seesNoLaterToken(NDManager manager) {
        MistralAttention attention = attention(manager);

        assertThat(Causality.check((x, mask) -> attention.forward(x, mask.withWindow(3)), Seeded.of(manager, SEED),
                BATCH, TOKENS, WIDTH, 6)).holds();
    }

    @Test
    @DisplayName("under a window, gives a real token the same output whatever the pads before it hold")
    void ignoresWhatThePadsHold(NDManager manager) {
        MistralAttention attention = attention(manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 8, 5);                     // (B, T)

        assertThat(PaddingIndependence.check((input, mask) -> attention.forward(input, mask.withWindow(3)), x, padding,
                true, seeded)).holds();
    }

    @Test
    @DisplayName("under a window, computes each sentence of a padded batch as if it were alone")
    void keepsSentencesIndependent(NDManager manager) {
        MistralAttention attention = attention(manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 8, 5);                    // (B, T)

        assertThat(BatchIndependence.check((input, mask) -> attention.forward(input, mask.withWindow(3)), x, padding,
                true, SEED)).holds();
    }

    @Test
    @DisplayName("under a window, gives finite outputs for a sentence that is all padding and for pads before the first token")
    void staysFiniteWhereAQuerySeesNoKey(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 2, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, 6, 1)
                .mul(manager.create(new float[] {1, 0}).reshape(2, 1));                  // (B, T): item 1 all pads

        NDArray out = attention(manager).forward(x, AttentionMask.slidingWindow(2, padding));

        assertThat(out).named("Attention output, window 2, left padding, item 1 all pads")
                .withAxes("batch", "pos", "dim").isFinite();
    }

    @Test
    @DisplayName("rejects a number of KV heads that does not divide the query heads, naming both")
    void rejectsKvHeadsThatDoNotDivideTheHeads(NDManager manager) {
        Attention reference = Attention.random(Seeded.of(manager, SEED), "attention", WIDTH, 4, 4, null);
        Linear kv = Linear.random(Seeded.of(manager, SEED), "kv", WIDTH, 3L * HEAD_SIZE, false);

        assertThatThrownBy(() -> new MistralAttention(reference.wq(), kv, kv, reference.wo(), 4, 3,
                MistralAttentionGolden.rope()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KV heads (3)").hasMessageContaining("query heads (4)");
    }

    private static void assertAgreesWithStoredOutput(NDManager manager, int window, String key) {
        GoldenModel golden = GoldenModel.named(MODEL);

        NDArray out = attention(manager).forward(golden.example(manager, "x"), AttentionMask.slidingWindow(window));

        assertThat(out).named("Attention output, window " + window).against("PyTorch's stored output")
                .withAxes("batch", "pos", "dim").isCloseTo(golden.example(manager, key), TOLERANCE);
    }

    /** The attention under test, with the golden module's weights. */
    private static MistralAttention attention(NDManager manager) {
        return MistralAttentionGolden.attention(GoldenModel.named(MODEL), manager);
    }

    /** The reference attention with the golden module's weights. */
    private static Attention reference(NDManager manager) {
        return Attention.fromLlama(GoldenModel.named(MODEL).parameters(manager), HEADS, KV_HEADS,
                MistralAttentionGolden.rope());
    }

    private static Linear attentionWeights(NDManager manager, String name) {
        return Linear.from(GoldenModel.named(MODEL).parameters(manager).under(name));
    }

    /** A prompt of {@code prompt} tokens into {@code cache}, then one token per step, under a window: (B, T, C). */
    private static NDArray decode(MistralAttention attention, KvCache cache, NDArray x, int window, long prompt) {
        long tokens = x.getShape().get(1);
        AttentionMask mask = AttentionMask.slidingWindow(window);
        NDArray decoded = attention.forward(x.get(new NDIndex(":, :{}", prompt)), mask, cache);   // (B, prompt, C)
        for (long t = prompt; t < tokens; t++) {
            NDArray step = x.get(new NDIndex(":, {}:{}", t, t + 1));                            // (B, 1, C)
            decoded = decoded.concat(attention.forward(step, mask, cache), 1);
        }
        return decoded;
    }
}
