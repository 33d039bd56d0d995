package dev.dojo.katas.decoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.probes.BatchIndependence;
import dev.dojo.probes.Causality;
import dev.dojo.probes.GroupedQueryConsistency;
import dev.dojo.probes.HeadIndependence;
import dev.dojo.probes.KvCacheEquivalence;
import dev.dojo.probes.PaddingIndependence;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
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
import static dev.dojo.katas.decoding.DecodingAttentionGolden.BATCH;
import static dev.dojo.katas.decoding.DecodingAttentionGolden.HEADS;
import static dev.dojo.katas.decoding.DecodingAttentionGolden.HEAD_SIZE;
import static dev.dojo.katas.decoding.DecodingAttentionGolden.KV_HEADS;
import static dev.dojo.katas.decoding.DecodingAttentionGolden.MODEL;
import static dev.dojo.katas.decoding.DecodingAttentionGolden.SEED;
import static dev.dojo.katas.decoding.DecodingAttentionGolden.THETA;
import static dev.dojo.katas.decoding.DecodingAttentionGolden.TOKENS;
import static dev.dojo.katas.decoding.DecodingAttentionGolden.TOLERANCE;
import static dev.dojo.katas.decoding.DecodingAttentionGolden.WIDTH;
import static dev.dojo.katas.decoding.DecodingAttentionGolden.attention;
import static dev.dojo.katas.decoding.DecodingAttentionGolden.decode;
import static dev.dojo.katas.decoding.DecodingAttentionGolden.pyTorch;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Contract:
// - without a cache, agrees with a Llama-style attention in PyTorch (C 32, 4 query heads, 2 KV heads,
//   rotate_half RoPE, causal) on a seeded batch, on PyTorch's stored example and at other sizes down to a token
// - through a KV cache it gives PyTorch's one pass: a seeded prompt then one token per step, a whole sequence
//   prefilled into an empty cache, one token per step from the first, chunks of 2 after a prompt of 3, three
//   tokens after a cache of 200, and the next tokens after a prompt the reference attention cached
// - the keys and values it caches are the reference attention's, so caches can be handed between the two
// - decoding with a cache, one token or several per step, equals its own full pass, also for other head counts
//   (8 and 2, 4 and 4, 4 and 1) and for a left-padded batch, on every real token
// - without a cache, agrees with the reference under every mask layout: none, causal, padding on the right or
//   on the left, causal with either padding; it uses the rotary embedding it is given (adjacent pairs, θ 500000)
// - without RoPE, decoding with a cache agrees with causal torch.nn.MultiheadAttention on a padded batch
// - a token never depends on later tokens, on what the pads hold or on the other sentences of the batch; a
//   query that sees no key stays finite; heads stay apart and grouped KV heads equal copied ones
// - KV heads that do not divide the query heads are rejected
@ExtendWith(ScopedManager.class)
class DecodingAttentionTest {
    /** torch.nn.MultiheadAttention (C 16, 4 heads, biases) with a causal and a key padding mask. */
    private static final String MULTIHEAD_MODEL = "multihead_attention";

    @Test
    @DisplayName("decodes a seeded prompt and then one token per step as PyTorch computes the whole sequence")
    void decodesAsPyTorch(NDManager manager) {
        new DecodingAttentionGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("without a cache, agrees with Llama-style attention in PyTorch on a seeded batch")
    void matchesPyTorchInOnePass(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);      // (B, T, C)

        NDArray out = attention(manager).forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Attention output, one pass").against("Llama-style attention in PyTorch")
                .withSeed(SEED).withAxes("batch", "pos", "dim").isCloseTo(pyTorch(manager, x), TOLERANCE);
    }

    @Test
    @DisplayName("without a cache, agrees with the output PyTorch stored for its example")
    void matchesPyTorchStoredExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);

        NDArray out = attention(manager).forward(golden.example(manager, "x"), AttentionMask.causalOnly());

        assertThat(out).named("Attention output, one pass").against("PyTorch's stored output")
                .withAxes("batch", "pos", "dim").isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: batch {0}, tokens {1}")
    @CsvSource({"3, 12", "1, 1"})
    @DisplayName("without a cache, agrees with PyTorch for batch and sequence sizes other than the example's")
    void matchesPyTorchAtOtherSizes(long batch, long tokens, NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, batch, tokens, WIDTH);      // (B, T, C)

        NDArray out = attention(manager).forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Attention output, B " + batch + ", T " + tokens).against("Llama-style attention in PyTorch")
                .withSeed(SEED).withAxes("batch", "pos", "dim").isCloseTo(pyTorch(manager, x), TOLERANCE);
    }

    @Test
    @DisplayName("prefills a whole sequence into an empty cache as PyTorch computes it in one pass")
    void prefillsAnEmptyCacheAsPyTorch(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);      // (B, T, C)

        NDArray out = attention(manager).forward(x, AttentionMask.causalOnly(), new KvCache());

        assertThat(out).named("Whole sequence through an empty cache").against("Llama-style attention in PyTorch")
                .withSeed(SEED).withAxes("batch", "pos", "dim").isCloseTo(pyTorch(manager, x), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: a prompt of {0}, then {1} per step")
    @CsvSource({"1, 1", "3, 2", "5, 1"})
    @DisplayName("decodes a prompt and then one or more tokens per step as PyTorch computes the whole sequence")
    void decodesStepByStepAsPyTorch(long prompt, long chunk, NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);      // (B, T, C)

        NDArray decoded = decode(attention(manager), new KvCache(), x, prompt, chunk);

        assertThat(decoded).named("A prompt of " + prompt + ", then " + chunk + " per step")
                .against("Llama-style attention in PyTorch, one pass").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(pyTorch(manager, x), TOLERANCE);
    }

    @Test
    @DisplayName("decodes three tokens after a cache of 200 as PyTorch computes the whole sequence")
    void decodesAfterALongCache(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, 1, 203, WIDTH);             // (B, T, C)

        NDArray decoded = decode(attention(manager), new KvCache(), x, 200, 1);

        NDIndex last = new NDIndex(":, 200:");
        assertThat(decoded.get(last)).named("Tokens 200 to 202, one per step after a cache of 200")
                .against("Llama-style attention in PyTorch, one pass").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(pyTorch(manager, x).get(last), TOLERANCE);
    }

    @Test
    @DisplayName("continues a prompt the reference attention cached as PyTorch computes the whole sequence")
    void continuesTheReferencesCacheAsPyTorch(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);      // (B, T, C)
        KvCache cache = new KvCache();
        NDArray prompt = reference(manager).forward(x.get(new NDIndex(":, :5")), AttentionMask.causalOnly(), cache);

        NDArray decoded = decode(attention(manager), cache, x.get(new NDIndex(":, 5:")), 1, 1);   // positions 5 …

        assertThat(prompt.concat(decoded, 1)).named("A prompt of 5 cached by the reference, then one token per step")
                .against("Llama-style attention in PyTorch, one pass").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(pyTorch(manager, x), TOLERANCE);
    }

    @Test
    @DisplayName("caches the keys and values the reference attention caches")
    void cachesWhatTheReferenceCaches(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                        // (B, T, C)
        KvCache cache = new KvCache();
        KvCache referenceCache = new KvCache();
        decode(attention(manager), cache, x, 4, 1);
        decode(reference(manager), referenceCache, x, 4, 1);
        NDArray k = seeded.normal("k", 1, BATCH, KV_HEADS, 1, HEAD_SIZE);               // (B, H_kv, 1, D)

        NDArray[] cached = cache.append(k, k);
        NDArray[] expected = referenceCache.append(k, k);

        assertThat(cached[0].concat(cached[1], -1)).named("Cached keys and values after " + TOKENS + " tokens")
                .against("the reference attention's").withSeed(SEED).withAxes("batch", "head", "pos", "dim")
                .isCloseTo(expected[0].concat(expected[1], -1), TOLERANCE);
    }

    @Test
    @DisplayName("decoding with a KV cache, one token or several per step, equals its own full pass")
    void decodesAsInOnePass(NDManager manager) {
        assertThat(KvCacheEquivalence.check(attention(manager), Seeded.of(manager, SEED), BATCH, TOKENS, WIDTH)).holds();
    }

    @ParameterizedTest(name = "{displayName}: width {0}, heads {1}, KV heads {2}")
    @CsvSource({"32, 8, 2", "32, 4, 4", "32, 4, 1"})
    @DisplayName("decodes a prompt and then one token per step as the reference's full pass, for other head counts")
    void decodesOtherHeadCountsAsTheFullPass(int width, int heads, int kvHeads, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Rotary rope = new RotaryEmbedding(width / heads, THETA, RopePairing.HALF_SPLIT);
        Attention reference = Attention.random(seeded, "attention", width, heads, kvHeads, rope);
        DecodingAttention attention = new DecodingAttention(reference.wq(), reference.wk(), reference.wv(),
                reference.wo(), heads, kvHeads, rope);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, width);                        // (B, T, C)

        NDArray decoded = decode(attention, new KvCache(), x, 3, 1);

        assertThat(decoded).named("A prompt of 3, then one token per step, " + heads + " heads, " + kvHeads + " KV heads")
                .against("the reference's full pass").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(reference.forward(x, AttentionMask.causalOnly()), TOLERANCE);
    }

    @Test
    @DisplayName("decodes left-padded prompts and then one token per step as the reference's full pass, on every real token")
    void decodesALeftPaddedBatch(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 7, 4);                     // (B, T)
        DecodingAttention attention = attention(manager);
        KvCache cache = new KvCache();

        NDArray decoded = attention.forward(x.get(new NDIndex(":, :5")),
                AttentionMask.causal(padding.get(new NDIndex(":, :5"))), cache);          // (B, 5, C)
        for (long t = 5; t < TOKENS; t++) {
            AttentionMask seen = AttentionMask.causal(padding.get(new NDIndex(":, :{}", t + 1)));
            decoded = decoded.concat(attention.forward(x.get(new NDIndex(":, {}:{}", t, t + 1)), seen, cache), 1);
        }

        NDArray real = padding.expandDims(-1);                                          // (B, T, 1): 1 = token
        NDArray full = reference(manager).forward(x, AttentionMask.causal(padding));
        assertThat(decoded.mul(real)).named("Left-padded prompts of 5, then one token per step, real tokens")
                .against("the reference's full pass").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(full.mul(real), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: causal {0}, {1} padding")
    @CsvSource({"false, no", "true, no", "false, right", "false, left", "true, right", "true, left"})
    @DisplayName("without a cache, agrees with the reference attention under every mask layout")
    void matchesReferenceUnderEveryMaskLayout(boolean causal, String side, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = switch (side) {                                                // (B, T)
            case "right" -> seeded.rightPadding(TOKENS, TOKENS, 6, 3);
            case "left" -> seeded.leftPadding(TOKENS, TOKENS, 6, 3);
            default -> null;
        };
        AttentionMask mask = new AttentionMask(causal, padding);

        NDArray out = attention(manager).forward(x, mask);

        assertThat(out).named("Attention output, causal " + causal + ", " + side + " padding")
                .against("the reference attention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(reference(manager).forward(x, mask), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: {1}, θ {0}")
    @CsvSource({"10000, ADJACENT_PAIRS", "500000, HALF_SPLIT"})
    @DisplayName("without a cache, rotates queries and keys with the rotary embedding it is given")
    void usesTheRotaryEmbeddingItIsGiven(double theta, RopePairing pairing, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Rotary rope = new RotaryEmbedding(HEAD_SIZE, theta, pairing);
        Attention reference = Attention.random(seeded, "attention", WIDTH, 4, 2, rope);
        DecodingAttention attention = new DecodingAttention(reference.wq(), reference.wk(), reference.wv(),
                reference.wo(), 4, 2, rope);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                        // (B, T, C)

        NDArray out = attention.forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Attention output, " + pairing + ", θ " + theta).against("the reference attention")
                .withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(reference.forward(x, AttentionMask.causalOnly()), TOLERANCE);
    }

    @Test
    @DisplayName("without a rotary embedding, decodes a padded batch with a cache as causal torch.nn.MultiheadAttention")
    void decodesAsPyTorchMultiheadAttentionWithoutRope(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MULTIHEAD_MODEL);
        Attention mha = Attention.fromTorchMultihead(golden.parameters(manager).under("mha"), 4);
        DecodingAttention attention = new DecodingAttention(mha.wq(), mha.wk(), mha.wv(), mha.wo(), 4, 4, null);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, 7, 16);                                    // (B, T, C)
        NDArray padding = seeded.rightPadding(7, 7, 5, 3);                              // (B, T)
        KvCache cache = new KvCache();

        NDArray decoded = attention.forward(x.get(new NDIndex(":, :3")),
                AttentionMask.causal(padding.get(new NDIndex(":, :3"))), cache);          // (B, 3, C)
        for (long t = 3; t < 7; t++) {
            AttentionMask seen = AttentionMask.causal(padding.get(new NDIndex(":, :{}", t + 1)));
            decoded = decoded.concat(attention.forward(x.get(new NDIndex(":, {}:{}", t, t + 1)), seen, cache), 1);
        }

        assertThat(decoded).named("Without RoPE, a prompt of 3, then one token per step, right padding")
                .against("PyTorch's MultiheadAttention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("never lets a token's output depend on a later token")
    void seesNoLaterToken(NDManager manager) {
        DecodingAttention attention = attention(manager);

        assertThat(Causality.check(attention::forward, Seeded.of(manager, SEED), BATCH, TOKENS, WIDTH, 4)).holds();
    }

    @Test
    @DisplayName("gives a real token the same output whatever the pads before it hold")
    void ignoresWhatThePadsHold(NDManager manager) {
        DecodingAttention attention = attention(manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 6, 3);                     // (B, T)

        assertThat(PaddingIndependence.check(attention::forward, x, padding, true, seeded)).holds();
    }

    @Test
    @DisplayName("computes each sentence of a padded batch as if it were alone")
    void keepsSentencesIndependent(NDManager manager) {
        DecodingAttention attention = attention(manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 6, 3);                     // (B, T)

        assertThat(BatchIndependence.check(attention::forward, x, padding, true, SEED)).holds();
    }

    @Test
    @DisplayName("gives finite outputs for a sentence that is all padding and for pads before the first token")
    void staysFiniteWhereAQuerySeesNoKey(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 2, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, 4, 1)
                .mul(manager.create(new float[] {1, 0}).reshape(2, 1));                  // (B, T): item 1 all pads

        NDArray out = attention(manager).forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, left padding, item 1 all pads").withAxes("batch", "pos", "dim")
                .isFinite();
    }

    @Test
    @DisplayName("with o_proj the identity, each head's q, k and v rows move only the outputs of the query heads they feed")
    void keepsHeadsApart(NDManager manager) {
        assertThat(new HeadIndependence().check(new DecodingAttentionGolden().kit(), manager, SEED)).holds();
    }

    @Test
    @DisplayName("equals multi-head attention whose k and v weights copy each KV head to the query heads that share it")
    void sharesEachKvHeadWithItsGroup(NDManager manager) {
        assertThat(new GroupedQueryConsistency().check(new DecodingAttentionGolden().kit(), manager, SEED)).holds();
    }

    @Test
    @DisplayName("rejects a number of KV heads that does not divide the query heads, naming both")
    void rejectsKvHeadsThatDoNotDivideTheHeads(NDManager manager) {
        Attention reference = Attention.random(Seeded.of(manager, SEED), "attention", WIDTH, 4, 4, null);
        Linear kv = Linear.random(Seeded.of(manager, SEED), "kv", WIDTH, 3L * HEAD_SIZE, false);

        assertThatThrownBy(() -> new DecodingAttention(reference.wq(), kv, kv, reference.wo(), 4, 3,
                DecodingAttentionGolden.rope()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KV heads (3)").hasMessageContaining("query heads (4)");
    }

    /** The reference attention with the golden module's weights. */
    private static Attention reference(NDManager manager) {
        return Attention.fromLlama(GoldenModel.named(MODEL).parameters(manager), HEADS, KV_HEADS,
                DecodingAttentionGolden.rope());
    }
}
