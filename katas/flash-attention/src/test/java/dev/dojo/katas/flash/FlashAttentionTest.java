package dev.dojo.katas.flash;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.probes.BatchIndependence;
import dev.dojo.probes.Causality;
import dev.dojo.probes.PaddingIndependence;
import dev.dojo.probes.TilingInvariance;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.Rotary;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.reference.TiledAttention;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.flash.FlashAttentionGolden.BATCH;
import static dev.dojo.katas.flash.FlashAttentionGolden.HEADS;
import static dev.dojo.katas.flash.FlashAttentionGolden.KV_HEADS;
import static dev.dojo.katas.flash.FlashAttentionGolden.MODEL;
import static dev.dojo.katas.flash.FlashAttentionGolden.SEED;
import static dev.dojo.katas.flash.FlashAttentionGolden.TOKENS;
import static dev.dojo.katas.flash.FlashAttentionGolden.TOLERANCE;
import static dev.dojo.katas.flash.FlashAttentionGolden.WIDTH;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Contract:
// - as the attention step of a Llama-style layer (C 32, 4 query heads, 2 KV heads, rotate_half RoPE, causal),
//   agrees with that layer in PyTorch on a seeded batch, on PyTorch's stored example and at other batch and
//   sequence sizes, down to a single token
// - as the attention step of torch.nn.MultiheadAttention (C 16, 4 heads, biases), agrees with it under a causal
//   mask on a right-padded batch and under a padding mask on a left-padded one
// - gives plain (untiled) attention's output whatever the tile: 1 key, 2 keys, T - 1 keys (several tiles), T keys
//   (one tile) and more than T keys (one tile, part empty); and the reference tiled attention's under every mask
//   layout: none, causal, right or left padding, causal with either padding
// - agrees with plain attention for other head counts and head sizes, grouped and multi-query KV heads included
// - with more keys than queries (a KV cache: a prompt, then one token per step) gives the full pass's output
// - rows whose largest score arrives in a late tile, rows whose largest score is in the first tile, and scores in
//   the hundreds, far beyond what exp can take unshifted
// - gives the same output at tiles of 1, 2 and 3 keys as with one tile (the tiling probe)
// - a query that sees no key at all (a sample that is all padding, pads before the first token) stays finite
// - real tokens ignore what right or left pads hold; each sample of a batch is computed as if alone; under a
//   causal mask no output reads a later token
// - reads the keys a tile at a time: no array as large as the (B, H, T, S) scores is ever made
// - returns the queries' shape; a tile of fewer than one key is rejected
// B batch, T tokens (queries), S keys, H heads, D head size, C model width.
@ExtendWith(ScopedManager.class)
class FlashAttentionTest {
    /** torch.nn.MultiheadAttention (C 16, 4 heads, biases) with a causal and a key padding mask. */
    private static final String MULTIHEAD = "multihead_attention";
    /** The same module with the key padding mask only. */
    private static final String MULTIHEAD_PADDING_ONLY = "multihead_attention_padding_only";

    // PyTorch

    @Test
    @DisplayName("agrees with Llama-style attention in PyTorch on a seeded batch, 2 keys per tile")
    void matchesPyTorchLlamaAttention(NDManager manager) {
        new FlashAttentionGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its example, 4 keys per tile")
    void matchesPyTorchStoredExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MODEL);

        NDArray out = FlashAttentionGolden.goldenLayer(manager, 4)
                .forward(golden.example(manager, "x"), AttentionMask.causalOnly());

        assertThat(out).named("Attention output, 4 keys per tile").against("PyTorch's stored output")
                .withAxes("batch", "pos", "dim").isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: batch {0}, tokens {1}, K = {2}")
    @CsvSource({"3, 11, 4", "1, 9, 3"})
    @DisplayName("agrees with Llama-style attention in PyTorch for batch and sequence sizes other than the example's")
    void matchesPyTorchAtOtherSizes(long batch, long tokens, int tile, NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, batch, tokens, WIDTH);         // (B, T, C)

        NDArray out = FlashAttentionGolden.goldenLayer(manager, tile).forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Attention output, B " + batch + ", T " + tokens + ", K = " + tile)
                .against("Llama-style attention in PyTorch").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(GoldenModel.named(MODEL).run(manager, x).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with Llama-style attention in PyTorch on a single token")
    void matchesPyTorchOnASingleToken(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, 1, WIDTH);              // (B, 1, C)

        NDArray out = FlashAttentionGolden.goldenLayer(manager, 2).forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Attention output, one token").against("Llama-style attention in PyTorch")
                .withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(GoldenModel.named(MODEL).run(manager, x).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention on a right-padded batch, 3 keys per tile")
    void matchesPyTorchMultiheadAttentionOnRightPaddedBatch(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MULTIHEAD);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, 16);                                  // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 5, 3);                       // (B, T)

        NDArray out = multihead(golden, manager, 3).forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, right padding, 3 keys per tile")
                .against("PyTorch's MultiheadAttention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with torch.nn.MultiheadAttention under a padding mask on a left-padded batch, 2 keys per tile")
    void matchesPyTorchMultiheadAttentionOnLeftPaddedBatch(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MULTIHEAD_PADDING_ONLY);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, 16);                                  // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 4, 2);                        // (B, T)

        NDArray out = multihead(golden, manager, 2).forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output, left padding, 2 keys per tile")
                .against("PyTorch's MultiheadAttention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }

    // Plain attention, whatever the tile

    @ParameterizedTest(name = "{displayName}: K = {0}")
    @ValueSource(ints = {1, 2, TOKENS - 1})
    @DisplayName("gives plain attention's output when the keys span several tiles")
    void matchesPlainAttentionOverSeveralTiles(int tile, NDManager manager) {
        assertMatchesPlainAttention(manager, tile);
    }

    @Test
    @DisplayName("gives plain attention's output with one tile of every key")
    void matchesPlainAttentionInOneTile(NDManager manager) {
        assertMatchesPlainAttention(manager, TOKENS);
    }

    @Test
    @DisplayName("gives plain attention's output with one tile longer than the sequence")
    void matchesPlainAttentionInATileLongerThanTheSequence(NDManager manager) {
        assertMatchesPlainAttention(manager, TOKENS + 5);
    }

    @ParameterizedTest(name = "{displayName}: causal {0}, {1} padding")
    @CsvSource({"false, no", "true, no", "false, right", "false, left", "true, right", "true, left"})
    @DisplayName("agrees with the reference tiled attention under every mask layout, 3 keys per tile")
    void matchesReferenceTiledAttentionUnderEveryMaskLayout(boolean causal, String padding, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Attention weights = FlashAttentionGolden.goldenReference(manager);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                               // (B, T, C)
        NDArray pads = switch (padding) {                                                  // (B, T)
            case "right" -> seeded.rightPadding(TOKENS, TOKENS, 4, 2);
            case "left" -> seeded.leftPadding(TOKENS, TOKENS, 4, 2);
            default -> null;
        };
        AttentionMask mask = new AttentionMask(causal, pads);
        TiledAttention reference = new TiledAttention(weights.wq(), weights.wk(), weights.wv(), weights.wo(), HEADS,
                KV_HEADS, weights.rope(), 3);

        NDArray out = FlashAttentionGolden.goldenLayer(manager, 3).forward(x, mask);

        assertThat(out).named("Attention output, causal " + causal + ", " + padding + " padding, 3 keys per tile")
                .against("the reference tiled attention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(reference.forward(x, mask), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: width {0}, heads {1}, KV heads {2}")
    @CsvSource({"32, 8, 8", "24, 6, 2", "16, 4, 1", "48, 3, 3"})
    @DisplayName("gives plain attention's output for other head counts and head sizes, 2 keys per tile")
    void matchesPlainAttentionForOtherHeads(int width, int heads, int kvHeads, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Rotary rope = new RotaryEmbedding(width / heads, 10_000, RopePairing.HALF_SPLIT);
        Attention plain = Attention.random(seeded, "attention", width, heads, kvHeads, rope);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, width);                           // (B, T, C)
        AttentionMask mask = AttentionMask.causal(seeded.rightPadding(TOKENS, TOKENS, 5));

        NDArray out = FlashAttentionGolden.layer(plain.wq(), plain.wk(), plain.wv(), plain.wo(), heads, kvHeads, rope, 2)
                .forward(x, mask);

        assertThat(out).named("Attention output, " + heads + " heads, " + kvHeads + " KV heads, 2 keys per tile")
                .against("plain attention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(plain.forward(x, mask), TOLERANCE);
    }

    @Test
    @DisplayName("with a KV cache, a prompt then one token per step gives plain attention's full pass, 2 keys per tile")
    void decodesAsTheFullPass(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        Attention flash = FlashAttentionGolden.goldenLayer(manager, 2);
        KvCache cache = new KvCache();

        NDArray decoded = flash.forward(x.get(new NDIndex(":, :4")), AttentionMask.causalOnly(), cache);  // (B, 4, C)
        for (long t = 4; t < TOKENS; t++) {
            NDArray step = x.get(new NDIndex(":, {}:{}", t, t + 1));                       // (B, 1, C)
            decoded = decoded.concat(flash.forward(step, AttentionMask.causalOnly(), cache), 1);
        }

        assertThat(decoded).named("Prompt of 4, then one token per step, 2 keys per tile")
                .against("plain attention's full pass").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(FlashAttentionGolden.goldenReference(manager).forward(x, AttentionMask.causalOnly()),
                        TOLERANCE);
    }

    // Where each row's largest score sits

    @Test
    @DisplayName("gives plain attention's output when every row's scores rise from key to key, 2 keys per tile")
    void matchesPlainAttentionWhenScoresRise(NDManager manager) {
        assertOrderedScoresMatchPlainAttention(manager, true);
    }

    @Test
    @DisplayName("gives plain attention's output when every row's scores fall from key to key, 2 keys per tile")
    void matchesPlainAttentionWhenScoresFall(NDManager manager) {
        assertOrderedScoresMatchPlainAttention(manager, false);
    }

    @Test
    @DisplayName("gives plain attention's output when scores are in the hundreds (q and k weights × 8), 2 keys per tile")
    void matchesPlainAttentionWithLargeScores(NDManager manager) {
        Attention w = FlashAttentionGolden.goldenReference(manager);
        Linear q = new Linear(w.wq().weight().mul(8), null);
        Linear k = new Linear(w.wk().weight().mul(8), null);
        Attention plain = new Attention(q, k, w.wv(), w.wo(), HEADS, KV_HEADS, w.rope());
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)

        NDArray out = FlashAttentionGolden.layer(q, k, w.wv(), w.wo(), HEADS, KV_HEADS, w.rope(), 2)
                .forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Attention output, q and k weights × 8, 2 keys per tile").against("plain attention")
                .withSeed(SEED).withAxes("batch", "pos", "dim").isCloseTo(plain.forward(x, AttentionMask.causalOnly()),
                        TOLERANCE);
    }

    @Test
    @DisplayName("gives the same output with 1, 2 or 3 keys per tile as with one tile of every key")
    void keepsTilingInvisible(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Attention w = FlashAttentionGolden.goldenReference(manager);
        NDArray x = seeded.normal("x", 1, BATCH, 6, WIDTH);                                // (B, T, C)
        AttentionMask mask = AttentionMask.causal(seeded.rightPadding(6, 6, 4));

        assertThat(TilingInvariance.check(tile -> FlashAttentionGolden.layer(w.wq(), w.wk(), w.wv(), w.wo(), HEADS,
                KV_HEADS, w.rope(), tile), x, mask, SEED)).holds();
    }

    // Masks, pads and samples

    @Test
    @DisplayName("gives finite outputs for a sample that is all padding and for pads before the first token")
    void staysFiniteWhereAQuerySeesNoKey(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 2, TOKENS, WIDTH);                               // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, 3, 1)
                .mul(manager.create(new float[] {1, 0}).reshape(2, 1));                    // (B, T): item 1 all pads

        NDArray out = FlashAttentionGolden.goldenLayer(manager, 2).forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, left padding, item 1 all pads, 2 keys per tile")
                .withAxes("batch", "pos", "dim").withSeed(SEED).isFinite();
    }

    @Test
    @DisplayName("gives a real token the same output whatever the pads after it hold")
    void ignoresWhatRightPadsHold(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                               // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);                       // (B, T)

        assertThat(PaddingIndependence.check(FlashAttentionGolden.goldenLayer(manager, 2)::forward, x, padding, false,
                seeded)).holds();
    }

    @Test
    @DisplayName("gives a real token the same output whatever the pads before it hold")
    void ignoresWhatLeftPadsHold(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                               // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 4, 2);                        // (B, T)

        assertThat(PaddingIndependence.check(FlashAttentionGolden.goldenLayer(manager, 2)::forward, x, padding, true,
                seeded)).holds();
    }

    @Test
    @DisplayName("computes each sample of a right-padded batch as if it were alone")
    void keepsSamplesIndependent(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                               // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);                       // (B, T)

        assertThat(BatchIndependence.check(FlashAttentionGolden.goldenLayer(manager, 2)::forward, x, padding, true,
                SEED)).holds();
    }

    @Test
    @DisplayName("under a causal mask, never lets a token's output depend on a later token")
    void seesNoLaterToken(NDManager manager) {
        assertThat(Causality.check(FlashAttentionGolden.goldenLayer(manager, 2)::forward, Seeded.of(manager, SEED),
                BATCH, TOKENS, WIDTH, 3)).holds();
    }

    // Shapes

    @Test
    @DisplayName("returns one row of head size D per query, head and sample, in the queries' dtype")
    void keepsTheQueriesShape(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray q = seeded.normal("q", 1, 2, 3, 5, 4);                                     // (B, H, T, D)
        NDArray k = seeded.normal("k", 1, 2, 3, 9, 4);                                     // (B, H, S, D)
        NDArray v = seeded.normal("v", 1, 2, 3, 9, 4);                                     // (B, H, S, D)

        NDArray out = new FlashAttention(4).forward(q, k, v, AttentionMask.none().bias(manager, 5, 9, 4));

        org.assertj.core.api.Assertions.assertThat(out.getShape()).isEqualTo(new Shape(2, 3, 5, 4));
        org.assertj.core.api.Assertions.assertThat(out.getDataType()).isEqualTo(q.getDataType());
    }

    @Test
    @DisplayName("never holds the scores of every key at once: no array it makes is as large as (B, H, T, S)")
    void readsTheKeysOneTileAtATime(NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            Seeded seeded = Seeded.of(scope, SEED);
            NDArray q = seeded.normal("q", 1, 2, 3, 5, 4);                                 // (B, H, T, D)
            NDArray k = seeded.normal("k", 1, 2, 3, 12, 4);                                // (B, H, S, D)
            NDArray v = seeded.normal("v", 1, 2, 3, 12, 4);                                // (B, H, S, D)
            NDArray bias = AttentionMask.none().bias(scope, 5, 12, 0);                     // (1, 1, T, S)

            new FlashAttention(3).forward(q, k, v, bias);

            long scores = 2 * 3 * 5 * 12;                                                   // B · H · T · S
            org.assertj.core.api.Assertions.assertThat(scope.getManagedArrays().stream().map(NDArray::getShape).toList())
                    .as("shapes of the arrays made, none of B · H · T · S = %d elements or more, 3 keys per tile", scores)
                    .noneMatch(shape -> shape.size() >= scores);
        }
    }

    @Test
    @DisplayName("rejects a tile of fewer than one key, naming it")
    void rejectsAnEmptyTile() {
        assertThatThrownBy(() -> new FlashAttention(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }

    /** torch.nn.MultiheadAttention's weights (4 heads, no RoPE) around the kata's kernel, {@code tile} keys per tile. */
    private static Attention multihead(GoldenModel golden, NDManager manager, int tile) {
        Attention mha = Attention.fromTorchMultihead(golden.parameters(manager).under("mha"), 4);
        return FlashAttentionGolden.layer(mha.wq(), mha.wk(), mha.wv(), mha.wo(), 4, 4, null, tile);
    }

    /** The golden weights around the kernel at {@code tile} keys per tile, against plain attention, no mask. */
    private static void assertMatchesPlainAttention(NDManager manager, int tile) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)

        NDArray out = FlashAttentionGolden.goldenLayer(manager, tile).forward(x, AttentionMask.none());

        assertThat(out).named("Attention output, K = " + tile + ", T " + TOKENS).against("plain attention")
                .withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(FlashAttentionGolden.goldenReference(manager).forward(x, AttentionMask.none()), TOLERANCE);
    }

    /**
     * One head (D 4), q and k the identity, so query t's score for key s is x_t · x_s / 2; token s is
     * (s + 1) · u when {@code rising}, (T - s) · u otherwise, so every row's scores rise (or fall) from
     * key to key. No mask, so every query sees every key.
     */
    private static void assertOrderedScoresMatchPlainAttention(NDManager manager, boolean rising) {
        Seeded seeded = Seeded.of(manager, SEED);
        long width = 4;
        NDArray u = manager.create(new float[] {0.3f, 0.2f, -0.1f, 0.25f});                 // (C)
        NDArray steps = rising ? manager.arange(1f, TOKENS + 1f) : manager.arange((float) TOKENS, 0f, -1f);  // (T)
        NDArray x = steps.reshape(1, TOKENS, 1).mul(u.reshape(1, 1, width));                // (1, T, C)
        Linear identity = new Linear(manager.eye(Math.toIntExact(width)), null);
        Linear values = Linear.random(seeded, "v_proj", width, width, true);
        Attention plain = new Attention(identity, identity, values, identity, 1, 1, null);

        NDArray out = FlashAttentionGolden.layer(identity, identity, values, identity, 1, 1, null, 2)
                .forward(x, AttentionMask.none());

        assertThat(out).named("Attention output, scores " + (rising ? "rising" : "falling") + " along the keys,"
                        + " 2 keys per tile").against("plain attention").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(plain.forward(x, AttentionMask.none()), TOLERANCE);
    }
}
