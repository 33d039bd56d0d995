package dev.dojo.diagnosis;

import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Tolerance;
import dev.dojo.junit.ScopedManager;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ScopedManager.class)
class LocalizationTest {
    private static final long SEED = 11;
    private static final Tolerance TOLERANCE = Localization.DEFAULT_TOLERANCE;
    private static final Kit REFERENCE = Kit.reference(ModelConfig.tinyLlama());

    /** The pre-norm block with the residual taken after the norm: x = norm(x); x = x + attn(x). */
    private static final Kit.BlockFactory NORM_BEFORE_RESIDUAL = (placement, norm1, attention, norm2, ffn) ->
            (x, mask) -> {
                x = norm1.forward(x);
                x = x.add(attention.forward(x, mask));
                return x.add(ffn.forward(norm2.forward(x)));
            };

    private static String first(Localization l) {
        return l.firstDivergence().map(Localization.StepDivergence::where).orElse("none");
    }

    @Test
    @DisplayName("the reference against itself diverges nowhere")
    void referenceAgainstItself(NDManager manager) {
        Localization l = Localization.run(REFERENCE, REFERENCE, manager, SEED, TOLERANCE);

        assertThat(l.firstDivergence()).isEmpty();
        assertThat(l.steps()).extracting(Localization.StepDivergence::where).containsExactly(
                "block 0 · attention norm", "block 0 · attention", "block 0 · ffn norm input", "block 0 · ffn norm",
                "block 0 · feed-forward", "block 0 · block output",
                "block 1 · attention norm", "block 1 · attention", "block 1 · ffn norm input", "block 1 · ffn norm",
                "block 1 · feed-forward", "block 1 · block output", "final norm", "logits");
        assertThat(l.render(Style.UNICODE)).isEqualTo(lines("""
                  layer by layer, reference against reference: no step beyond tolerance (abs 1e-5, rel 1e-4); every
                      step identical
                """));
    }

    @Test
    @DisplayName("a kit that replaces only a part the tiny decoder's one pass never calls gets no trace, not one of the reference against itself")
    void noTraceOfAPartItNeverCalls(NDManager manager) {
        Kit reference = Kit.reference(ModelConfig.tinyEncoderDecoder());
        Kit learner = reference.named("learner").withDecoderBlock(dev.dojo.reference.TransformerDecoderBlock::new);

        assertThat(Localization.run(learner, reference, manager, SEED, TOLERANCE)).isNull();
        assertThat(Localization.run(reference, reference, manager, SEED, TOLERANCE)).isNotNull();
    }

    @Test
    @DisplayName("a pre-norm block that adds the residual to norm(x) first diverges at block 0's ffn norm input")
    void residualAfterTheNorm(NDManager manager) {
        Kit learner = REFERENCE.named("learner").withBlock(NORM_BEFORE_RESIDUAL);

        Localization l = Localization.run(learner, REFERENCE, manager, SEED, TOLERANCE);

        assertThat(first(l)).isEqualTo("block 0 · ffn norm input");
        assertThat(l.steps().get(0).beyond()).isFalse();
        assertThat(l.steps().get(1).beyond()).isFalse();
    }

    @Test
    @DisplayName("an attention that ignores the padding mask first diverges at block 0's attention")
    void attentionIgnoresPadding(NDManager manager) {
        Kit learner = REFERENCE.named("learner").withAttention((q, k, v, o, heads, kvHeads, rope) -> {
            Attention attention = new Attention(q, k, v, o, heads, kvHeads, rope);
            return (x, mask) -> attention.forward(x, new AttentionMask(mask.causal(), null));
        });

        Localization l = Localization.run(learner, REFERENCE, manager, SEED, TOLERANCE);

        assertThat(first(l)).isEqualTo("block 0 · attention");
    }

    @Test
    @DisplayName("a post-norm feed-forward without its activation first diverges at block 0's feed-forward")
    void postNormFeedForward(NDManager manager) {
        Kit reference = Kit.reference(ModelConfig.tinyPostNorm());
        Kit learner = reference.named("learner").withGelu((fc1, fc2) -> x -> fc2.forward(fc1.forward(x)));

        Localization l = Localization.run(learner, reference, manager, SEED, TOLERANCE);

        assertThat(first(l)).isEqualTo("block 0 · feed-forward");
        assertThat(l.steps()).extracting(Localization.StepDivergence::where).startsWith("block 0 · attention",
                "block 0 · attention norm input", "block 0 · attention norm", "block 0 · feed-forward",
                "block 0 · ffn norm input", "block 0 · ffn norm", "block 1 · attention");
    }

    @Test
    @DisplayName("one block alone localizes the same bug")
    void oneBlock(NDManager manager) {
        Kit learner = REFERENCE.named("learner").withBlock(NORM_BEFORE_RESIDUAL);

        assertThat(first(Localization.runBlock(learner, REFERENCE, manager, SEED, TOLERANCE)))
                .isEqualTo("block 0 · ffn norm input");
        assertThat(Localization.runBlock(REFERENCE, REFERENCE, manager, SEED, TOLERANCE).firstDivergence()).isEmpty();
    }

    @Test
    @DisplayName("a block that never calls its feed-forward diverges where the feed-forward should start")
    void partNeverCalled(NDManager manager) {
        Kit learner = REFERENCE.named("learner").withBlock((placement, norm1, attention, norm2, ffn) ->
                (x, mask) -> x.add(attention.forward(norm1.forward(x), mask)));

        Localization l = Localization.run(learner, REFERENCE, manager, SEED, TOLERANCE);

        assertThat(first(l)).isEqualTo("block 0 · ffn norm input");
        assertThat(l.firstDivergence().orElseThrow().note()).isEqualTo("not called");
    }

    @Test
    @DisplayName("code that throws diverges at the step that threw, and the rest is not reached")
    void threw(NDManager manager) {
        Kit learner = REFERENCE.named("learner").withSwiGlu((gate, up, down) -> x -> {
            throw new IllegalArgumentException("hidden width (40) must be even");
        });

        Localization l = Localization.run(learner, REFERENCE, manager, SEED, TOLERANCE);

        assertThat(first(l)).isEqualTo("block 0 · feed-forward");
        assertThat(l.render(Style.UNICODE)).isEqualTo(lines("""
                  layer by layer, |Δ| of learner from reference on real tokens (tolerance abs 1e-5, rel 1e-4):
                    block 0 · attention norm ✓ 0 · attention ✓ 0 · ffn norm input ✓ 0 · ffn norm ✓ 0
                            · feed-forward ✗ threw IllegalArgumentException: hidden width (40) must be even ◀ first divergence
                    (9 later steps not reached)
                """));
    }

    /** One value per step, in the order given, at block 0. */
    private static LayerTrace trace(String kit, String[] parts, float... values) {
        List<LayerTrace.Step> steps = new java.util.ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            steps.add(new LayerTrace.Step(0, parts[i], false, 1, new long[] {1}, new float[] {values[i]}));
        }
        return new LayerTrace(kit, steps, "", null);
    }

    private static final String[] PARTS = {LayerTrace.ATTENTION_NORM, LayerTrace.ATTENTION, LayerTrace.FFN_NORM,
            LayerTrace.FEED_FORWARD};

    @Test
    @DisplayName("names the step where |Δ| jumps most, not the first that float noise pushes past the tolerance")
    void largestJumpNotFirstBeyond() {
        LayerTrace reference = trace("reference", PARTS, 1, 1, 1, 1);
        LayerTrace learner = trace("learner", PARTS, 1 + 1e-7f, 1 + 2e-6f, 1.5f, 1.7f);

        Localization l = Localization.compare(learner, reference, Tolerance.absolute(1e-6));

        assertThat(l.steps()).extracting(Localization.StepDivergence::beyond).containsExactly(false, true, true, true);
        assertThat(first(l)).isEqualTo("block 0 · ffn norm");
        assertThat(l.render(Style.ASCII)).isEqualTo(lines("""
                  layer by layer, |d| of learner from reference on real tokens (tolerance abs 1e-6):
                    block 0 · attention norm ok 1.2e-7 · attention FAIL 2e-6
                            · ffn norm FAIL 0.5 <-- first divergence (jump x2.5e5) · feed-forward FAIL 0.7
                """));
    }

    @Test
    @DisplayName("steps the subject takes and the reference does not are listed")
    void extraCalls() {
        LayerTrace reference = trace("reference", PARTS, 1, 1, 1, 1);
        List<LayerTrace.Step> steps = new java.util.ArrayList<>(trace("learner", PARTS, 1, 1, 1, 1).steps());
        steps.add(new LayerTrace.Step(0, LayerTrace.ATTENTION_NORM, false, 2, new long[] {1}, new float[] {1}));
        LayerTrace learner = new LayerTrace("learner", steps, "", null);

        Localization l = Localization.compare(learner, reference, TOLERANCE);

        assertThat(l.extra()).containsExactly("block 0 · attention norm (call 2)");
    }

    @Test
    @DisplayName("pad tokens are not compared")
    void padsIgnored() {
        LayerTrace.RealTokens real = new LayerTrace.RealTokens(1, 2, new boolean[] {true, false});
        LayerTrace reference = new LayerTrace("reference", List.of(new LayerTrace.Step(0, LayerTrace.ATTENTION, false,
                1, new long[] {1, 2, 2}, new float[] {1, 2, 3, 4})), "", real);
        LayerTrace learner = new LayerTrace("learner", List.of(new LayerTrace.Step(0, LayerTrace.ATTENTION, false,
                1, new long[] {1, 2, 2}, new float[] {1, 2, 30, Float.NaN})), "", real);

        assertThat(Localization.compare(learner, reference, TOLERANCE).firstDivergence()).isEmpty();
    }

    /** A text block without its final line break. */
    private static String lines(String block) {
        return block.substring(0, block.length() - 1);
    }
}
