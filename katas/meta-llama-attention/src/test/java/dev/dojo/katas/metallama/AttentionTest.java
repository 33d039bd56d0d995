package dev.dojo.katas.metallama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.probes.BatchIndependence;
import dev.dojo.probes.Causality;
import dev.dojo.probes.GroupedQueryConsistency;
import dev.dojo.probes.HeadIndependence;
import dev.dojo.probes.PaddingIndependence;
import dev.dojo.probes.RelativePosition;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Block;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.metallama.MetaLlamaAttentionGolden.BATCH;
import static dev.dojo.katas.metallama.MetaLlamaAttentionGolden.SEED;
import static dev.dojo.katas.metallama.MetaLlamaAttentionGolden.TOKENS;
import static dev.dojo.katas.metallama.MetaLlamaAttentionGolden.TOLERANCE;
import static dev.dojo.katas.metallama.MetaLlamaAttentionGolden.atTokens;
import static dev.dojo.katas.metallama.MetaLlamaAttentionGolden.lengths;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Contract:
// - agrees with PyTorch: Llama-style causal grouped-query attention with RoPE (PyTorch's stored example,
//   another length and batch); torch.nn.MultiheadAttention (no RoPE, a KV head per head) under a causal
//   mask on its stored right-padded example, on the real tokens of a left-padded batch (PyTorch leaves a
//   query that sees no key undefined), with a padding mask of booleans or integers, and with padding only on a
//   left-padded batch
// - agrees with the reference attention on the real tokens of a left-padded causal batch, for 4 query
//   heads over 2, 4 or 1 KV heads, 2 over 1, and 3 heads at width 24
// - in a Llama-shaped model (RMSNorm, RoPE, SwiGLU): one block agrees with the reference block on the real
//   tokens of left-padded prompts; the two-layer model agrees with the reference model on the real tokens
//   of left-padded prompts, and on every token of right-padded ones
// - a query that sees no key (a pad before the first token under the causal mask, a sequence of pads
//   only) stays finite, and so does every logit of the two-layer model; large scores stay finite and
//   still keep every output from later tokens
// - no output reads a later token, a pad or another sequence; query head h reads KV head h / (H / H_kv), and
//   with as many KV heads as query heads it is multi-head attention; scores depend only on relative positions
// - head counts that do not divide are rejected
// B batch, T tokens, C width, H query heads, H_kv KV heads, V vocabulary.
@ExtendWith(ScopedManager.class)
class AttentionTest {
    private static final String GQA_MODEL = "gqa_attention";
    private static final String MHA_MODEL = "multihead_attention";
    private static final String MHA_PADDING_MODEL = "multihead_attention_padding_only";
    private static final String[] AXES = {"batch", "pos", "dim"};

    // PyTorch

    @Test
    @DisplayName("agrees with the output PyTorch stored for Llama-style causal attention with 4 heads over 2 KV heads and RoPE")
    void matchesPyTorchStoredGqaExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(GQA_MODEL);

        NDArray out = gqa(manager).forward(golden.example(manager, "x"), AttentionMask.causalOnly());

        assertThat(out).named("Causal attention output").against("PyTorch's stored output").withAxes(AXES)
                .isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with PyTorch's Llama-style causal attention for another batch and length")
    void matchesPyTorchGqaAtOtherSizes(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, 3, 9, 32);                        // (B, T, C)

        NDArray out = gqa(manager).forward(x, AttentionMask.causalOnly());

        assertThat(out).named("Causal attention output, B 3, T 9").against("PyTorch's Llama-style attention")
                .withSeed(SEED).withAxes(AXES)
                .isCloseTo(GoldenModel.named(GQA_MODEL).run(manager, x).singletonOrThrow(), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for causal torch.nn.MultiheadAttention on a right-padded batch")
    void matchesPyTorchStoredCausalPaddedExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(MHA_MODEL);

        NDArray out = multihead(manager, MHA_MODEL).forward(golden.example(manager, "x"),
                AttentionMask.causal(golden.example(manager, "padding")));

        assertThat(out).named("Causal attention output").against("PyTorch's stored output").withAxes(AXES)
                .isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with causal torch.nn.MultiheadAttention on the real tokens of a batch padded on the left")
    void matchesPyTorchOnLeftPaddedBatch(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, 16);                                 // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, lengths(seeded, BATCH, TOKENS));         // (B, T)

        NDArray out = multihead(manager, MHA_MODEL).forward(x, AttentionMask.causal(padding));
        NDArray expected = GoldenModel.named(MHA_MODEL).run(manager, x, padding).singletonOrThrow();  // NaN where a query sees no key

        assertThat(atTokens(out, padding)).named("Causal attention output at real tokens, left padding")
                .against("PyTorch's causal MultiheadAttention").withSeed(SEED).withAxes(AXES)
                .isCloseTo(atTokens(expected, padding), TOLERANCE);
    }

    @Test
    @DisplayName("without a causal mask, agrees with torch.nn.MultiheadAttention on a batch padded on the left")
    void matchesPyTorchPaddingOnly(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, 16);                                 // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, lengths(seeded, BATCH, TOKENS));         // (B, T)

        NDArray out = multihead(manager, MHA_PADDING_MODEL).forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output, left padding").against("PyTorch's MultiheadAttention").withSeed(SEED)
                .withAxes(AXES)
                .isCloseTo(GoldenModel.named(MHA_PADDING_MODEL).run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: {0}")
    @EnumSource(value = DataType.class, names = {"BOOLEAN", "INT64"})
    @DisplayName("agrees with causal torch.nn.MultiheadAttention when the padding mask holds booleans or integers")
    void matchesPyTorchWithAMaskOfAnyType(DataType type, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, 16);                                 // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, lengths(seeded, BATCH, TOKENS));        // (B, T)

        NDArray out = multihead(manager, MHA_MODEL).forward(x, AttentionMask.causal(padding.toType(type, false)));

        assertThat(out).named("Causal attention output, a padding mask of " + type)
                .against("PyTorch's causal MultiheadAttention").withSeed(SEED).withAxes(AXES)
                .isCloseTo(GoldenModel.named(MHA_MODEL).run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }

    // The reference attention, block and model

    @ParameterizedTest(name = "{displayName}: width {0}, {1} heads over {2} KV heads")
    @CsvSource({"16, 4, 2", "16, 4, 4", "16, 4, 1", "16, 2, 1", "24, 3, 3"})
    @DisplayName("agrees with the reference attention on the real tokens of a left-padded causal batch")
    void matchesReferenceAttention(int width, int heads, int kvHeads, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        dev.dojo.reference.Attention reference = dev.dojo.reference.Attention.random(seeded, "attention", width, heads,
                kvHeads, new RotaryEmbedding(width / heads, 10_000, RopePairing.HALF_SPLIT));
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, width);                              // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, lengths(seeded, BATCH, TOKENS));         // (B, T)
        AttentionMask mask = AttentionMask.causal(padding);

        NDArray out = new Attention(reference.wq(), reference.wk(), reference.wv(), reference.wo(), heads, kvHeads,
                reference.rope()).forward(x, mask);

        assertThat(atTokens(out, padding)).named("Causal attention output at real tokens, left padding")
                .against("the reference attention").withSeed(SEED).withAxes(AXES)
                .isCloseTo(atTokens(reference.forward(x, mask), padding), TOLERANCE);
    }

    @Test
    @DisplayName("in one Llama block, agrees with the reference block on the real tokens of left-padded prompts")
    void matchesReferenceBlock(NDManager manager) {
        ModelConfig config = ModelConfig.tinyLlama();
        Seeded seeded = Seeded.of(manager, SEED);
        Parameters p = config.layerParameters(seeded, "");
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, config.width());                     // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, lengths(seeded, BATCH, TOKENS));         // (B, T)
        AttentionMask mask = AttentionMask.causal(padding);

        NDArray out = MetaLlamaAttentionGolden.kit(config).block(p, config).forward(x, mask);

        assertThat(atTokens(out, padding)).named("Block output at real tokens, left padding")
                .against("the reference Llama block").withSeed(SEED).withAxes(AXES)
                .isCloseTo(atTokens(Kit.reference(config).block(p, config).forward(x, mask), padding), TOLERANCE);
    }

    @Test
    @DisplayName("in a two-layer Llama model, agrees with the reference model on the real tokens of left-padded prompts")
    void matchesReferenceModelOnLeftPaddedPrompts(NDManager manager) {
        new MetaLlamaAttentionGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("in a two-layer Llama model, agrees with the reference model on every token of right-padded prompts")
    void matchesReferenceModelOnRightPaddedPrompts(NDManager manager) {
        ModelConfig config = ModelConfig.tinyLlama();
        Seeded seeded = Seeded.of(manager, SEED);
        Parameters p = config.randomParameters(seeded);
        NDArray tokens = seeded.integers("tokens", config.vocabulary(), BATCH, TOKENS);       // (B, T)
        AttentionMask mask = AttentionMask.causal(seeded.rightPadding(TOKENS, lengths(seeded, BATCH, TOKENS)));

        NDArray logits = MetaLlamaAttentionGolden.kit(config).decoder(p, config).forward(tokens, mask);

        assertThat(logits).named("Logits of right-padded prompts, two layers").against("the reference Llama model")
                .withSeed(SEED).withAxes("batch", "pos", "vocab")
                .isCloseTo(Kit.reference(config).decoder(p, config).forward(tokens, mask), TOLERANCE);
    }

    // Queries that see no key

    @Test
    @DisplayName("under a causal mask, gives finite outputs at the pads before the first token")
    void staysFiniteBeforeTheFirstToken(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, 16);                                 // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 4, 1);                           // (B, T)

        NDArray out = llama(seeded).forward(x, AttentionMask.causal(padding));

        assertThat(out).named("Causal attention output, left padding").withSeed(SEED).withAxes(AXES).isFinite();
    }

    @Test
    @DisplayName("gives finite outputs for a sequence that is all padding")
    void staysFiniteForASequenceOfPads(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 2, TOKENS, 16);                                     // (B, T, C)
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS).concat(manager.zeros(new Shape(1, TOKENS)), 0);  // (B, T)

        NDArray out = llama(seeded).forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output, item 1 all pads").withSeed(SEED).withAxes(AXES).isFinite();
    }

    @Test
    @DisplayName("in a two-layer Llama model, gives finite logits at every position of left-padded prompts")
    void keepsEveryLogitFinite(NDManager manager) {
        ModelConfig config = ModelConfig.tinyLlama();
        Seeded seeded = Seeded.of(manager, SEED);
        Parameters p = config.randomParameters(seeded);
        NDArray tokens = seeded.integers("tokens", config.vocabulary(), BATCH, TOKENS);       // (B, T)
        AttentionMask mask = AttentionMask.causal(seeded.leftPadding(TOKENS, TOKENS, 5, 2));

        NDArray logits = MetaLlamaAttentionGolden.kit(config).decoder(p, config).forward(tokens, mask);

        assertThat(logits).named("Logits of left-padded prompts, two layers").withSeed(SEED)
                .withAxes("batch", "pos", "vocab").isFinite();
    }

    @Test
    @DisplayName("gives finite outputs when the scores are large (q and k weights x 1000)")
    void staysFiniteWithLargeScores(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        dev.dojo.reference.Attention reference = reference(seeded);
        Linear q = new Linear(reference.wq().weight().mul(1000f), null);
        Linear k = new Linear(reference.wk().weight().mul(1000f), null);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, 16);                                 // (B, T, C)

        NDArray out = new Attention(q, k, reference.wv(), reference.wo(), 4, 2, reference.rope())
                .forward(x, AttentionMask.causal(seeded.rightPadding(TOKENS, TOKENS, 4, 2)));

        assertThat(out).named("Causal attention output, q and k weights x1000").withSeed(SEED).withAxes(AXES)
                .isFinite();
    }

    @Test
    @DisplayName("under a causal mask, leaves every output before a token unchanged when the scores are large (q and k weights x 1000)")
    void seesNoLaterTokenWithLargeScores(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        dev.dojo.reference.Attention reference = reference(seeded);
        Linear q = new Linear(reference.wq().weight().mul(1000f), null);
        Linear k = new Linear(reference.wk().weight().mul(1000f), null);
        Attention attention = new Attention(q, k, reference.wv(), reference.wo(), 4, 2, reference.rope());

        assertThat(Causality.check(attention::forward, seeded, BATCH, TOKENS, 16, 3)).holds();
    }

    // What each output may read

    @Test
    @DisplayName("under a causal mask, leaves every output before a token unchanged when that token changes")
    void seesNoLaterToken(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);

        assertThat(Causality.check(llama(seeded)::forward, seeded, BATCH, TOKENS, 16, 3)).holds();
    }

    @Test
    @DisplayName("gives a real token the same output whatever the pads after it hold")
    void ignoresWhatThePadsHold(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, 16);                                 // (B, T, C)

        assertThat(PaddingIndependence.check(llama(seeded)::forward, x, seeded.rightPadding(TOKENS, TOKENS, 4, 2),
                false, seeded)).holds();
    }

    @Test
    @DisplayName("computes each sequence of a padded batch as if it were alone")
    void keepsSequencesIndependent(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, 16);                                 // (B, T, C)

        assertThat(BatchIndependence.check(llama(seeded)::forward, x, seeded.rightPadding(TOKENS, TOKENS, 4, 2), true,
                SEED)).holds();
    }

    @Test
    @DisplayName("with as many KV heads as query heads, equals multi-head attention with each KV head's weights copied")
    void groupsHeadsAsMultiHeadAttention(NDManager manager) {
        assertThat(new GroupedQueryConsistency().check(new MetaLlamaAttentionGolden().kit(), manager, SEED)).holds();
    }

    @Test
    @DisplayName("with wo the identity, each head's q, k and v rows move only the query heads they feed")
    void keepsHeadsApart(NDManager manager) {
        assertThat(new HeadIndependence().check(new MetaLlamaAttentionGolden().kit(), manager, SEED)).holds();
    }

    @Test
    @DisplayName("gives the same scores when every position is shifted alike")
    void dependsOnRelativePositions(NDManager manager) {
        assertThat(new RelativePosition().check(new MetaLlamaAttentionGolden().kit(), manager, SEED)).holds();
    }

    @Test
    @DisplayName("rejects KV heads that do not divide the query heads, and query heads that do not divide the width")
    void rejectsHeadCountsThatDoNotDivide(NDManager manager) {
        Linear w = Linear.random(Seeded.of(manager, SEED), "w", 16, 16, false);

        assertThatThrownBy(() -> new Attention(w, w, w, w, 4, 3, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(3)").hasMessageContaining("(4)");
        assertThatThrownBy(() -> new Attention(w, w, w, w, 3, 3, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(16)");
    }

    /** Llama-style attention with the golden's weights: width 32, 4 query heads over 2 KV heads, RoPE. */
    private static Attention gqa(NDManager manager) {
        Parameters p = GoldenModel.named(GQA_MODEL).parameters(manager);
        return new Attention(Linear.from(p.under("q_proj")), Linear.from(p.under("k_proj")),
                Linear.from(p.under("v_proj")), Linear.from(p.under("o_proj")), 4, 2,
                new RotaryEmbedding(8, 10_000, RopePairing.HALF_SPLIT));
    }

    /** torch.nn.MultiheadAttention's weights: width 16, 4 heads, biases, no RoPE. */
    private static Attention multihead(NDManager manager, String model) {
        Parameters p = GoldenModel.named(model).parameters(manager).under("mha");
        NDList w = p.get("in_proj_weight").split(3, 0);
        NDList b = p.get("in_proj_bias").split(3, 0);
        return new Attention(new Linear(w.get(0), b.get(0)), new Linear(w.get(1), b.get(1)),
                new Linear(w.get(2), b.get(2)), Linear.from(p.under("out_proj")), 4, 4, null);
    }

    /** Random Llama-shaped reference attention: width 16, 4 query heads over 2 KV heads, RoPE. */
    private static dev.dojo.reference.Attention reference(Seeded seeded) {
        return dev.dojo.reference.Attention.random(seeded, "attention", 16, 4, 2,
                new RotaryEmbedding(4, 10_000, RopePairing.HALF_SPLIT));
    }

    /** The kata's attention with the weights of {@link #reference(Seeded)}. */
    private static Attention llama(Seeded seeded) {
        dev.dojo.reference.Attention r = reference(seeded);
        return new Attention(r.wq(), r.wk(), r.wv(), r.wo(), 4, 2, r.rope());
    }
}
