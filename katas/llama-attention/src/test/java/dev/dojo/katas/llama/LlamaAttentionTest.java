package dev.dojo.katas.llama;

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

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.llama.LlamaAttentionGolden.BATCH;
import static dev.dojo.katas.llama.LlamaAttentionGolden.HEAD_SIZE;
import static dev.dojo.katas.llama.LlamaAttentionGolden.MODEL;
import static dev.dojo.katas.llama.LlamaAttentionGolden.SEED;
import static dev.dojo.katas.llama.LlamaAttentionGolden.THETA;
import static dev.dojo.katas.llama.LlamaAttentionGolden.TOKENS;
import static dev.dojo.katas.llama.LlamaAttentionGolden.TOLERANCE;
import static dev.dojo.katas.llama.LlamaAttentionGolden.WIDTH;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Contract:
// - agrees with a Llama-style attention in PyTorch (C 32, 4 query heads, 2 KV heads, rotate_half RoPE,
//   causal) on a seeded batch, on PyTorch's stored example, and at other batch and sequence sizes down
//   to a single token
// - a prompt prefilled into a KV cache and then decoded one token per step gives PyTorch's output for
//   the whole sequence; decoding step by step or in chunks equals its own full pass; the cache holds
//   what the reference's holds: the KV heads, not the query heads
// - agrees with the reference attention for query and KV head counts that share KV heads in groups
//   (8 and 2, 8 and 4, 6 and 3, 6 and 2, 12 and 4), for as many KV heads as query heads, and for a
//   single KV head
// - agrees with the reference attention under every mask layout: none, causal, padding on the right
//   or on the left, causal with either padding
// - uses the rotary embedding it is given (adjacent pairs, θ 500000 as in Llama 3) after a cache, and
//   without one agrees with torch.nn.MultiheadAttention (causal, padded, with biases)
// - a real token ignores what the pads hold, later tokens (under the causal mask) and the other
//   sentences of the batch; a query that sees no key stays finite
// - with o_proj the identity, each head's q/k/v rows move only the output of the query heads they
//   feed; grouped KV heads equal multi-head attention with each KV head copied to its group
// - KV heads that do not divide the query heads, or heads that do not divide the width, are rejected
@ExtendWith(ScopedManager.class)
class LlamaAttentionTest {
    /** torch.nn.MultiheadAttention (C 16, 4 heads, biases) with a causal and a key padding mask. */
    private static final String MULTIHEAD_MODEL = "multihead_attention";

    @Test
    @DisplayName("agrees with Llama-style attention in PyTorch on a seeded batch")
    void matchesPyTorchLlamaAttention(NDManager manager) {
        new LlamaAttentionGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its example")
    void matchesPyTorchStoredExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);

        NDArray out = LlamaAttentionGolden.attention(golden, manager)
                .forward(golden.example(manager, "x"), AttentionMask.causalOnly());

        assertThat(out).named("Attention output").against("PyTorch's stored output").withAxes("batch", "pos", "dim")
                .isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: batch {0}, tokens {1}")
    @CsvSource({"3, 11", "1, 1"})
    @DisplayName("agrees with Llama-style attention in PyTorch for batch and sequence sizes other than the example's")
    void matchesPyTorchAtOtherSizes(long batch, long tokens, NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, batch, tokens, WIDTH);   // (B, T, C)

        NDArray out = LlamaAttentionGolden.attention(golden, manager).forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Attention output, B " + batch + ", T " + tokens).against("Llama-style attention in PyTorch")
                .withSeed(SEED).withAxes("batch", "pos", "dim").isCloseTo(golden.run(manager, x).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("decodes a cached prompt one token per step as PyTorch computes the whole sequence")
    void decodesAsPyTorchWithACache(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);
        LlamaAttention attention = LlamaAttentionGolden.attention(golden, manager);
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);   // (B, T, C)
        KvCache cache = new KvCache();

        NDArray decoded = attention.forward(x.get(new NDIndex(":, :4")), AttentionMask.causalOnly(), cache);  // (B, 4, C)
        for (long t = 4; t < TOKENS; t++) {
            NDArray step = x.get(new NDIndex(":, {}:{}", t, t + 1));                 // (B, 1, C)
            decoded = decoded.concat(attention.forward(step, AttentionMask.causalOnly(), cache), 1);
        }

        assertThat(decoded).named("Prompt of 4, then one token per step").against("Llama-style attention in PyTorch")
                .withSeed(SEED).withAxes("batch", "pos", "dim").isCloseTo(golden.run(manager, x).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("decoding with a KV cache, one token or several per step, equals its own full pass")
    void decodesAsInOnePass(NDManager manager) {
        LlamaAttention attention = LlamaAttentionGolden.attention(GoldenModel.named(MODEL), manager);

        assertThat(KvCacheEquivalence.check(attention, Seeded.of(manager, SEED), BATCH, TOKENS, WIDTH)).holds();
    }

    @ParameterizedTest(name = "{displayName}: width {0}, heads {1}, KV heads {2}")
    @CsvSource({"32, 8, 2", "32, 8, 4", "24, 6, 3", "24, 6, 2", "48, 12, 4"})
    @DisplayName("agrees with the reference attention when query heads share KV heads in groups")
    void matchesReferenceForGroupedKvHeads(int width, int heads, int kvHeads, NDManager manager) {
        agreesWithReference(manager, width, heads, kvHeads);
    }

    @ParameterizedTest(name = "{displayName}: width {0}, heads {1}")
    @CsvSource({"32, 4", "32, 8"})
    @DisplayName("agrees with the reference attention when there are as many KV heads as query heads")
    void matchesReferenceForAsManyKvHeadsAsHeads(int width, int heads, NDManager manager) {
        agreesWithReference(manager, width, heads, heads);
    }

    @ParameterizedTest(name = "{displayName}: width {0}, heads {1}")
    @CsvSource({"32, 4", "32, 8"})
    @DisplayName("agrees with the reference attention when every query head shares one KV head")
    void matchesReferenceForOneKvHead(int width, int heads, NDManager manager) {
        agreesWithReference(manager, width, heads, 1);
    }

    @ParameterizedTest(name = "{displayName}: causal {0}, {1} padding")
    @CsvSource({"false, no", "true, no", "false, right", "false, left", "true, right", "true, left"})
    @DisplayName("agrees with the reference attention under every mask layout")
    void matchesReferenceUnderEveryMaskLayout(boolean causal, String padding, NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                         // (B, T, C)
        NDArray pads = switch (padding) {                                             // (B, T)
            case "right" -> seeded.rightPadding(TOKENS, TOKENS, 4, 2);
            case "left" -> seeded.leftPadding(TOKENS, TOKENS, 4, 2);
            default -> null;
        };
        AttentionMask mask = new AttentionMask(causal, pads);
        Attention reference = Attention.fromLlama(golden.parameters(manager), LlamaAttentionGolden.HEADS,
                LlamaAttentionGolden.KV_HEADS, LlamaAttentionGolden.rope());

        NDArray out = LlamaAttentionGolden.attention(golden, manager).forward(x, mask);

        assertThat(out).named("Attention output, causal " + causal + ", " + padding + " padding")
                .against("the reference attention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(reference.forward(x, mask), TOLERANCE);
    }

    @Test
    @DisplayName("caches the keys and values the reference attention caches, 8 query heads sharing 2 KV heads")
    void cachesWhatTheReferenceCaches(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Rotary rope = new RotaryEmbedding(WIDTH / 8, THETA, RopePairing.HALF_SPLIT);
        Attention reference = Attention.random(seeded, "attention", WIDTH, 8, 2, rope);
        LlamaAttention attention = new LlamaAttention(reference.wq(), reference.wk(), reference.wv(), reference.wo(),
                8, 2, rope);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                     // (B, T, C)
        KvCache cache = new KvCache();
        KvCache referenceCache = new KvCache();
        attention.forward(x, AttentionMask.causalOnly(), cache);
        reference.forward(x, AttentionMask.causalOnly(), referenceCache);
        NDArray k = seeded.normal("k", 1, BATCH, 2, 1, WIDTH / 8);                   // (B, H_kv, 1, D)

        NDArray[] cached = cache.append(k, k);
        NDArray[] expected = referenceCache.append(k, k);

        assertThat(cached[0].concat(cached[1], -1)).named("Cached keys and values after " + TOKENS + " tokens")
                .against("the reference attention's").withSeed(SEED).withAxes("batch", "head", "pos", "dim")
                .isCloseTo(expected[0].concat(expected[1], -1), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: {1}, θ {0}")
    @CsvSource({"10000, ADJACENT_PAIRS", "500000, HALF_SPLIT"})
    @DisplayName("rotates queries and keys with the rotary embedding it is given")
    void usesTheRotaryEmbeddingItIsGiven(double theta, RopePairing pairing, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Rotary rope = new RotaryEmbedding(HEAD_SIZE, theta, pairing);
        Attention reference = Attention.random(seeded, "attention", WIDTH, 4, 4, rope);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                     // (B, T, C)
        KvCache cache = new KvCache();
        KvCache referenceCache = new KvCache();
        LlamaAttention attention = new LlamaAttention(reference.wq(), reference.wk(), reference.wv(), reference.wo(),
                4, 4, rope);
        attention.forward(x, AttentionMask.causalOnly(), cache);
        reference.forward(x, AttentionMask.causalOnly(), referenceCache);

        NDArray out = attention.forward(x, AttentionMask.causalOnly(), cache);        // after T cached tokens

        assertThat(out).named("Attention output after " + TOKENS + " cached tokens, " + pairing + ", θ " + theta)
                .against("the reference attention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(reference.forward(x, AttentionMask.causalOnly(), referenceCache), TOLERANCE);
    }

    @Test
    @DisplayName("without a rotary embedding, agrees with causal torch.nn.MultiheadAttention on a padded batch")
    void matchesPyTorchMultiheadAttentionWithoutRope(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MULTIHEAD_MODEL);
        Attention mha = Attention.fromTorchMultihead(golden.parameters(manager).under("mha"), 4);
        LlamaAttention attention = new LlamaAttention(mha.wq(), mha.wk(), mha.wv(), mha.wo(), 4, 4, null);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, 16);                            // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 5, 3);                 // (B, T)

        NDArray out = attention.forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Attention output without RoPE, causal, right padding")
                .against("PyTorch's MultiheadAttention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("under a causal mask, never lets a token's output depend on a later token")
    void seesNoLaterToken(NDManager manager) {
        LlamaAttention attention = LlamaAttentionGolden.attention(GoldenModel.named(MODEL), manager);

        assertThat(Causality.check(attention::forward, Seeded.of(manager, SEED), BATCH, TOKENS, WIDTH, 3)).holds();
    }

    @Test
    @DisplayName("under a causal mask, gives a real token the same output whatever the pads before it hold")
    void ignoresWhatThePadsHold(NDManager manager) {
        LlamaAttention attention = LlamaAttentionGolden.attention(GoldenModel.named(MODEL), manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                         // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 4, 2);                  // (B, T)

        assertThat(PaddingIndependence.check(attention::forward, x, padding, true, seeded)).holds();
    }

    @Test
    @DisplayName("computes each sentence of a padded batch as if it were alone")
    void keepsSentencesIndependent(NDManager manager) {
        LlamaAttention attention = LlamaAttentionGolden.attention(GoldenModel.named(MODEL), manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                         // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 4, 2);                  // (B, T)

        assertThat(BatchIndependence.check(attention::forward, x, padding, true, SEED)).holds();
    }

    @Test
    @DisplayName("gives finite outputs for a sentence that is all padding and for pads before the first token")
    void staysFiniteWhereAQuerySeesNoKey(NDManager manager) {
        LlamaAttention attention = LlamaAttentionGolden.attention(GoldenModel.named(MODEL), manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 2, TOKENS, WIDTH);                         // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, 3, 1).mul(manager.create(new float[] {1, 0}).reshape(2, 1));   // (B, T): item 1 all pads

        NDArray out = attention.forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, left padding, item 1 all pads").withAxes("batch", "pos", "dim")
                .isFinite();
    }

    @Test
    @DisplayName("with o_proj the identity, each head's q, k and v rows move only the outputs of the query heads they feed")
    void keepsHeadsApart(NDManager manager) {
        assertThat(new HeadIndependence().check(new LlamaAttentionGolden().kit(), manager, SEED)).holds();
    }

    @Test
    @DisplayName("equals multi-head attention whose k and v weights copy each KV head to the query heads that share it")
    void sharesEachKvHeadWithItsGroup(NDManager manager) {
        assertThat(new GroupedQueryConsistency().check(new LlamaAttentionGolden().kit(), manager, SEED)).holds();
    }

    @Test
    @DisplayName("rejects a number of KV heads that does not divide the query heads, naming both")
    void rejectsKvHeadsThatDoNotDivideTheHeads(NDManager manager) {
        Attention reference = Attention.random(Seeded.of(manager, SEED), "attention", WIDTH, 4, 4, null);
        Linear kv = Linear.random(Seeded.of(manager, SEED), "kv", WIDTH, 3L * HEAD_SIZE, false);

        assertThatThrownBy(() -> new LlamaAttention(reference.wq(), kv, kv, reference.wo(), 4, 3,
                LlamaAttentionGolden.rope()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KV heads (3)").hasMessageContaining("query heads (4)");
    }

    @Test
    @DisplayName("rejects a number of heads that does not divide the width, naming both")
    void rejectsHeadsThatDoNotDivideTheWidth(NDManager manager) {
        Attention reference = Attention.random(Seeded.of(manager, SEED), "attention", WIDTH, 4, 4, null);

        assertThatThrownBy(() -> new LlamaAttention(reference.wq(), reference.wk(), reference.wv(), reference.wo(), 5,
                5, LlamaAttentionGolden.rope()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heads (5)").hasMessageContaining("width (32)");
    }

    /** The kata's attention and the reference with the same random weights, causal, on a seeded batch. */
    private static void agreesWithReference(NDManager manager, int width, int heads, int kvHeads) {
        Seeded seeded = Seeded.of(manager, SEED);
        Rotary rope = new RotaryEmbedding(width / heads, THETA, RopePairing.HALF_SPLIT);
        Attention reference = Attention.random(seeded, "attention", width, heads, kvHeads, rope);
        LlamaAttention attention = new LlamaAttention(reference.wq(), reference.wk(), reference.wv(), reference.wo(),
                heads, kvHeads, rope);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, width);                     // (B, T, C)

        NDArray out = attention.forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Attention output, " + heads + " heads, " + kvHeads + " KV heads")
                .against("the reference attention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(reference.forward(x, AttentionMask.causalOnly()), TOLERANCE);
    }
}
