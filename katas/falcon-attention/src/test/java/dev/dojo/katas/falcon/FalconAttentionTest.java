package dev.dojo.katas.falcon;

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
import dev.dojo.probes.PermutationEquivariance;
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

import java.util.List;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.falcon.FalconAttentionGolden.BATCH;
import static dev.dojo.katas.falcon.FalconAttentionGolden.HEAD_SIZE;
import static dev.dojo.katas.falcon.FalconAttentionGolden.MODEL;
import static dev.dojo.katas.falcon.FalconAttentionGolden.SEED;
import static dev.dojo.katas.falcon.FalconAttentionGolden.TOKENS;
import static dev.dojo.katas.falcon.FalconAttentionGolden.TOLERANCE;
import static dev.dojo.katas.falcon.FalconAttentionGolden.WIDTH;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Contract:
// - run once per KV head of a Llama-style attention in PyTorch (C 32, 4 query heads, 2 KV heads, rotate_half RoPE,
//   causal) and summed, gives that module's output: on a seeded batch, on PyTorch's stored example, for a single
//   sequence, at other batch and sequence sizes down to a single token, and decoding with a KV cache
// - run once per head of torch.nn.MultiheadAttention (C 16, 4 heads, biases, no RoPE) with one query head each
//   and summed, gives that module's output: causal on a right-padded batch, padding only on a left-padded one
// - agrees with the reference attention with one KV head for 3 to 8 query heads and head sizes 4 to 8, for a single
//   query head, and under every mask layout: none, causal, right or left padding, causal with either padding
// - uses the rotary embedding it is given (adjacent pairs, θ 500000) after a cache
// - each sample of a padded batch is computed as if alone; real tokens ignore what right or left pads hold; under
//   a causal mask no output reads a later token; decoding with a KV cache, token by token or in chunks, equals
//   the full pass; without a mask or RoPE, permuting the tokens permutes the outputs
// - with dense the identity, each query head's rows move only its own output and the KV head's rows move every
//   head's; equals multi-head attention whose k and v weights copy the one KV head to every query head
// - a query that sees no key (a sample that is all padding, pads before the first token) stays finite
// - query heads that do not divide the width, and key or value projections of another size than one head, are
//   rejected
// B batch, T tokens, C model width, H query heads, D head size.
@ExtendWith(ScopedManager.class)
class FalconAttentionTest {
    /** torch.nn.MultiheadAttention (C 16, 4 heads, biases) with a causal and a key padding mask. */
    private static final String MULTIHEAD = "multihead_attention";
    /** The same module with the key padding mask only. */
    private static final String MULTIHEAD_PADDING_ONLY = "multihead_attention_padding_only";

    // PyTorch's grouped-query attention, one KV head at a time

    @Test
    @DisplayName("summed over both KV heads, agrees with grouped-query attention in PyTorch on a seeded batch")
    void matchesPyTorchGroupedQueryAttention(NDManager manager) {
        new FalconAttentionGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("summed over both KV heads, agrees with the output PyTorch stored for its example")
    void matchesPyTorchStoredExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);

        NDArray out = FalconAttentionGolden.sum(FalconAttentionGolden.goldenGroups(manager),
                golden.example(manager, "x"), AttentionMask.causalOnly(), null);

        assertThat(out).named("Sum of the multi-query attentions of both KV heads").against("PyTorch's stored output")
                .withAxes("batch", "pos", "dim").isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @Test
    @DisplayName("summed over both KV heads, agrees with grouped-query attention in PyTorch on a single sequence")
    void matchesPyTorchOnASingleSequence(NDManager manager) {
        assertAgreesWithPyTorch(manager, 1, 9);
    }

    @ParameterizedTest(name = "{displayName}: batch {0}, tokens {1}")
    @CsvSource({"3, 5", "2, 1"})
    @DisplayName("summed over both KV heads, agrees with grouped-query attention in PyTorch at other sizes")
    void matchesPyTorchAtOtherSizes(long batch, long tokens, NDManager manager) {
        assertAgreesWithPyTorch(manager, batch, tokens);
    }

    @Test
    @DisplayName("summed over both KV heads, decodes a cached prompt one token per step as PyTorch computes the whole sequence")
    void decodesAsPyTorchWithACache(NDManager manager) {
        List<FalconAttention> groups = FalconAttentionGolden.goldenGroups(manager);
        List<KvCache> caches = List.of(new KvCache(), new KvCache());
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);          // (B, T, C)

        NDArray decoded = FalconAttentionGolden.sum(groups, x.get(new NDIndex(":, :4")), AttentionMask.causalOnly(),
                caches);                                                                    // (B, 4, C)
        for (long t = 4; t < TOKENS; t++) {
            NDArray step = x.get(new NDIndex(":, {}:{}", t, t + 1));                        // (B, 1, C)
            decoded = decoded.concat(FalconAttentionGolden.sum(groups, step, AttentionMask.causalOnly(), caches), 1);
        }

        assertThat(decoded).named("Prompt of 4, then one token per step, summed over both KV heads")
                .against("grouped-query attention in PyTorch").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(GoldenModel.named(MODEL).run(manager, x).singletonOrThrow(), TOLERANCE);
    }

    // PyTorch's multi-head attention, one head at a time

    @Test
    @DisplayName("summed over single-head copies, agrees with causal torch.nn.MultiheadAttention on a right-padded batch")
    void matchesPyTorchMultiheadAttentionHeadByHead(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MULTIHEAD);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, 16);                                  // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 5, 3);                       // (B, T)

        NDArray out = FalconAttentionGolden.sum(headByHead(golden, manager), x, AttentionMask.causal(padding), null);

        assertThat(out).named("Sum of four one-head attentions, causal, right padding")
                .against("PyTorch's MultiheadAttention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("summed over single-head copies, agrees with torch.nn.MultiheadAttention on a left-padded batch")
    void matchesPyTorchMultiheadAttentionHeadByHeadOnLeftPaddedBatch(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MULTIHEAD_PADDING_ONLY);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, 16);                                  // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 4, 2);                        // (B, T)

        NDArray out = FalconAttentionGolden.sum(headByHead(golden, manager), x, AttentionMask.padding(padding), null);

        assertThat(out).named("Sum of four one-head attentions, left padding")
                .against("PyTorch's MultiheadAttention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }

    // The reference attention with one KV head

    @ParameterizedTest(name = "{displayName}: width {0}, heads {1}")
    @CsvSource({"32, 4", "32, 8", "24, 3", "48, 6"})
    @DisplayName("agrees with the reference attention with one KV head for other numbers of query heads")
    void matchesReferenceForOtherHeadCounts(int width, int heads, NDManager manager) {
        assertAgreesWithReference(manager, width, heads);
    }

    @ParameterizedTest(name = "{displayName}: width {0}")
    @ValueSource(ints = {8, 16})
    @DisplayName("agrees with the reference attention with a single query head")
    void matchesReferenceForOneQueryHead(int width, NDManager manager) {
        assertAgreesWithReference(manager, width, 1);
    }

    @ParameterizedTest(name = "{displayName}: causal {0}, {1} padding")
    @CsvSource({"false, no", "true, no", "false, right", "false, left", "true, right", "true, left"})
    @DisplayName("agrees with the reference attention with one KV head under every mask layout")
    void matchesReferenceUnderEveryMaskLayout(boolean causal, String padding, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Attention reference = Attention.random(seeded, "attention", WIDTH, 4, 1, FalconAttentionGolden.rope());
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                               // (B, T, C)
        NDArray pads = switch (padding) {                                                  // (B, T)
            case "right" -> seeded.rightPadding(TOKENS, TOKENS, 4, 2);
            case "left" -> seeded.leftPadding(TOKENS, TOKENS, 4, 2);
            default -> null;
        };
        AttentionMask mask = new AttentionMask(causal, pads);

        NDArray out = falcon(reference).forward(x, mask);

        assertThat(out).named("Attention output, causal " + causal + ", " + padding + " padding")
                .against("the reference attention with one KV head").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(reference.forward(x, mask), TOLERANCE);
    }

    @Test
    @DisplayName("rotates queries and keys with the rotary embedding it is given, after a cache, on one sequence")
    void usesTheRotaryEmbeddingItIsGiven(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Rotary rope = new RotaryEmbedding(HEAD_SIZE, 500_000, RopePairing.ADJACENT_PAIRS);
        Attention reference = Attention.random(seeded, "attention", WIDTH, 4, 1, rope);
        FalconAttention attention = falcon(reference);
        NDArray x = seeded.normal("x", 1, 1, TOKENS, WIDTH);                               // (1, T, C)
        KvCache cache = new KvCache();
        KvCache referenceCache = new KvCache();
        attention.forward(x, AttentionMask.causalOnly(), cache);
        reference.forward(x, AttentionMask.causalOnly(), referenceCache);

        NDArray out = attention.forward(x, AttentionMask.causalOnly(), cache);             // after T cached tokens

        assertThat(out).named("Attention output after " + TOKENS + " cached tokens, adjacent pairs, θ 500000")
                .against("the reference attention with one KV head").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(reference.forward(x, AttentionMask.causalOnly(), referenceCache), TOLERANCE);
    }

    // Samples, pads, tokens and heads

    @Test
    @DisplayName("computes each sample of a padded batch as if it were alone")
    void keepsSamplesIndependent(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                               // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);                       // (B, T)

        assertThat(BatchIndependence.check(randomFalcon(seeded)::forward, x, padding, true, SEED)).holds();
    }

    @Test
    @DisplayName("gives a real token the same output whatever the pads after it hold")
    void ignoresWhatRightPadsHold(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                               // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);                       // (B, T)

        assertThat(PaddingIndependence.check(randomFalcon(seeded)::forward, x, padding, false, seeded)).holds();
    }

    @Test
    @DisplayName("under a causal mask, gives a real token the same output whatever the pads before it hold")
    void ignoresWhatLeftPadsHold(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                               // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 4, 2);                        // (B, T)

        assertThat(PaddingIndependence.check(randomFalcon(seeded)::forward, x, padding, true, seeded)).holds();
    }

    @Test
    @DisplayName("under a causal mask, never lets a token's output depend on a later token")
    void seesNoLaterToken(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);

        assertThat(Causality.check(randomFalcon(seeded)::forward, seeded, BATCH, TOKENS, WIDTH, 3)).holds();
    }

    @Test
    @DisplayName("decoding with a KV cache, one token or several per step, equals its own full pass")
    void decodesAsInOnePass(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);

        assertThat(KvCacheEquivalence.check(randomFalcon(seeded), seeded, BATCH, TOKENS, WIDTH)).holds();
    }

    @Test
    @DisplayName("without a mask or RoPE, permutes its outputs as its input tokens are permuted")
    void treatsTokensAsASet(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Attention reference = Attention.random(seeded, "attention", WIDTH, 4, 1, null);

        assertThat(PermutationEquivariance.check(falcon(reference), seeded, BATCH, TOKENS, WIDTH)).holds();
    }

    @Test
    @DisplayName("with dense the identity, each query head's rows move only its output, the KV head's rows move every head's")
    void keepsHeadsApart(NDManager manager) {
        assertThat(new HeadIndependence().check(new FalconAttentionGolden().kit(), manager, SEED)).holds();
    }

    @Test
    @DisplayName("equals multi-head attention whose k and v weights copy the one KV head to every query head")
    void equalsMultiHeadAttentionWithTheKvHeadCopied(NDManager manager) {
        assertThat(new GroupedQueryConsistency().check(new FalconAttentionGolden().kit(), manager, SEED)).holds();
    }

    @Test
    @DisplayName("gives finite outputs for a sample that is all padding and for pads before the first token")
    void staysFiniteWhereAQuerySeesNoKey(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 2, TOKENS, WIDTH);                               // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, 3, 1)
                .mul(manager.create(new float[] {1, 0}).reshape(2, 1));                    // (B, T): item 1 all pads

        NDArray out = randomFalcon(seeded).forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, left padding, item 1 all pads").withAxes("batch", "pos", "dim")
                .withSeed(SEED).isFinite();
    }

    // Construction

    @Test
    @DisplayName("rejects a number of query heads that does not divide the width, naming both")
    void rejectsHeadsThatDoNotDivideTheWidth(NDManager manager) {
        Attention reference = Attention.random(Seeded.of(manager, SEED), "attention", WIDTH, 4, 1, null);

        assertThatThrownBy(() -> new FalconAttention(reference.wq(), reference.wk(), reference.wv(), reference.wo(), 5,
                null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heads (5)").hasMessageContaining("width (32)");
    }

    @ParameterizedTest(name = "{displayName}: key {0}, value {1}")
    @CsvSource({"16, 8", "8, 16"})
    @DisplayName("rejects a key or value projection that is not one head wide, naming the sizes")
    void rejectsKeysAndValuesOfAnotherSize(long keyWidth, long valueWidth, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Attention reference = Attention.random(seeded, "attention", WIDTH, 4, 1, null);
        Linear key = Linear.random(seeded, "key", WIDTH, keyWidth, false);
        Linear value = Linear.random(seeded, "value", WIDTH, valueWidth, false);

        assertThatThrownBy(() -> new FalconAttention(reference.wq(), key, value, reference.wo(), 4, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size 8")
                .hasMessageContaining(keyWidth + " and " + valueWidth);
    }

    /** The golden groups on a seeded (B, T, C) batch, causal, against the golden module. */
    private static void assertAgreesWithPyTorch(NDManager manager, long batch, long tokens) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, batch, tokens, WIDTH);          // (B, T, C)

        NDArray out = FalconAttentionGolden.sum(FalconAttentionGolden.goldenGroups(manager), x,
                AttentionMask.causalOnly(), null);

        assertThat(out).named("Sum of the multi-query attentions of both KV heads, B " + batch + ", T " + tokens)
                .against("grouped-query attention in PyTorch").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(GoldenModel.named(MODEL).run(manager, x).singletonOrThrow(), TOLERANCE);
    }

    /** The kata's attention and the reference with one KV head, same random weights and RoPE, causal, right padding. */
    private static void assertAgreesWithReference(NDManager manager, int width, int heads) {
        Seeded seeded = Seeded.of(manager, SEED);
        Rotary rope = new RotaryEmbedding(width / heads, 10_000, RopePairing.HALF_SPLIT);
        Attention reference = Attention.random(seeded, "attention", width, heads, 1, rope);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, width);                           // (B, T, C)
        AttentionMask mask = AttentionMask.causal(seeded.rightPadding(TOKENS, TOKENS, 5));

        NDArray out = falcon(reference).forward(x, mask);

        assertThat(out).named("Attention output, " + heads + " query heads, one KV head")
                .against("the reference attention with one KV head").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(reference.forward(x, mask), TOLERANCE);
    }

    /** torch.nn.MultiheadAttention's four heads, each as a multi-query attention with one query head. */
    private static List<FalconAttention> headByHead(GoldenModel golden, NDManager manager) {
        Attention mha = Attention.fromTorchMultihead(golden.parameters(manager).under("mha"), 4);
        return FalconAttentionGolden.perKvHead(mha.wq(), mha.wk(), mha.wv(), mha.wo(), 4, 4, null);
    }

    /** FalconAttention with the reference's weights, which must have one KV head. */
    private static FalconAttention falcon(Attention reference) {
        return new FalconAttention(reference.wq(), reference.wk(), reference.wv(), reference.wo(), reference.heads(),
                reference.rope());
    }

    /** FalconAttention with random weights: C 32, 4 query heads, RoPE. */
    private static FalconAttention randomFalcon(Seeded seeded) {
        return falcon(Attention.random(seeded, "attention", WIDTH, 4, 1, FalconAttentionGolden.rope()));
    }
}
