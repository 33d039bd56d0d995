package dev.dojo.diagnosis;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.ComparisonReport;
import dev.dojo.compare.Tolerance;
import dev.dojo.junit.ScopedManager;
import dev.dojo.probes.ProbeResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The diagnosis report's exact text, on hand-made comparisons and probe verdicts. The golden
 * comparison's own lines are ComparisonReport's, tested there; these tests pin what follows them.
 */
@ExtendWith(ScopedManager.class)
class DiagnosisReportTest {
    private static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    private static final List<String> AXES = List.of("batch", "pos", "dim");
    private static final SignatureTable TABLE = new SignatureTable(List.of(
            new Signature("pre-norm residual misplaced", "the residual adds norm(x) instead of x",
                    Set.of("residual identity", "kv-cache")),
            new Signature("KV cache misaligned", "new keys are written one position late", Set.of("kv-cache")),
            new Signature("pre-norm residual misplaced", "the block returns norm(x + f(x))",
                    Set.of("residual identity", "kv-cache"))));

    /** Block output (1, 4, 3): pos 2 is off by 0.5 at dim 1, pos 3 by 1 at dim 0; the rest agree. */
    private static GoldenComparison golden(NDManager manager) {
        float[] expected = {0.5f, -1, 2, 1, 1, 1, 0.25f, 0.5f, -0.5f, 1, -2, 3};
        float[] actual = {0.5f, -1, 2, 1, 1, 1, 0.25f, 1.0f, -0.5f, 2, -2, 3};
        Comparison c = Comparison.of(manager.create(actual, new Shape(1, 4, 3)),
                manager.create(expected, new Shape(1, 4, 3)), TOLERANCE);
        return new GoldenComparison(c, "Block output", "the reference block", AXES, 7L);
    }

    private static List<ProbeResult> verdicts(NDManager manager) {
        Comparison identity = Comparison.of(manager.create(new float[] {1, 2, 3.5f, 4}, new Shape(1, 2, 2)),
                manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 2, 2)), Tolerance.of(1e-6, 1e-5));
        return List.of(
                ProbeResult.decided("batch independence", "each sample's output is the same alone as in the batch",
                        true, "", 7),
                new ProbeResult("residual identity", "with its sublayers' output projections zeroed, a pre-norm block"
                        + " must return its input unchanged", identity, "Block output", "the block's input", AXES, 7),
                ProbeResult.threw("kv-cache", "decoding token by token must equal the full forward pass",
                        new IllegalStateException("cache holds 3 positions, expected 4"), 7),
                ProbeResult.notApplicable("position zero", "RoPE at position 0 leaves its input unchanged",
                        "the model has no RoPE"));
    }

    private static String header(GoldenComparison g) {
        return ComparisonReport.render(g.comparison(), g.subject(), g.reference(), g.axes(), null) + "\n";
    }

    @Test
    @DisplayName("a coach's report: assert_close lines, probes, failing evidence, heatmap, consistent families, seed")
    void coach(NDManager manager) {
        GoldenComparison golden = golden(manager);
        Diagnosis diagnosis = Diagnosis.of(golden, verdicts(manager)).withSignatures(TABLE);

        String report = diagnosis.render(Mode.COACH, Style.UNICODE);

        assertThat(report).isEqualTo(header(golden) + lines("""
                  probes: batch independence ✓  residual identity ✗  kv-cache ✗  position zero ·
                  ✗ residual identity: with its sublayers' output projections zeroed, a pre-norm block must return
                      its input unchanged
                      Block output diverges from the block's input
                      worst: |Δ| = 0.5 at [batch 0, pos 1, dim 0] (actual 3.5, expected 3, rel 0.167)
                      by pos: ·█  matches before pos 1, diverges from pos 1
                  ✗ kv-cache: decoding token by token must equal the full forward pass
                      threw IllegalStateException: cache holds 3 positions, expected 4
                  |Δ| by pos (rows) × dim (columns), max over batch; blank: within tolerance
                     0
                  0 │   │
                  1 │   │
                  2 │ ▒ │
                  3 │█  │
                  scale: ░ ≤ 0.25  ▒ ≤ 0.5  ▓ ≤ 0.75  █ ≤ 1
                  residual identity ✗, kv-cache ✗ → consistent with: pre-norm residual misplaced (the residual adds
                      norm(x) instead of x; the block returns norm(x + f(x)))
                  seed: 7 (reruns this exact case)
                """));
    }

    @Test
    @DisplayName("an interview's report keeps the evidence and names no bug, here in plain ASCII")
    void interviewInAscii(NDManager manager) {
        GoldenComparison golden = golden(manager);
        Diagnosis diagnosis = Diagnosis.of(golden, verdicts(manager)).withSignatures(TABLE);

        String report = diagnosis.render(Mode.EVIDENCE, Style.ASCII);

        assertThat(report).isEqualTo(header(golden) + lines("""
                  probes: batch independence ok  residual identity FAIL  kv-cache FAIL  position zero n/a
                  FAIL residual identity: with its sublayers' output projections zeroed, a pre-norm block must
                      return its input unchanged
                      Block output diverges from the block's input
                      worst: |Δ| = 0.5 at [batch 0, pos 1, dim 0] (actual 3.5, expected 3, rel 0.167)
                      by pos: ·█  matches before pos 1, diverges from pos 1
                  FAIL kv-cache: decoding token by token must equal the full forward pass
                      threw IllegalStateException: cache holds 3 positions, expected 4
                  |d| by pos (rows) x dim (columns), max over batch; blank: within tolerance
                     0
                  0 |   |
                  1 |   |
                  2 | : |
                  3 |#  |
                  scale: . <= 0.25  : <= 0.5  * <= 0.75  # <= 1
                  seed: 7 (reruns this exact case)
                """));
        assertThat(report).doesNotContain("consistent with");
    }

    @Test
    @DisplayName("with no exact signature, the coach's report names the nearest, labelled, with the probes that differ")
    void nearest(NDManager manager) {
        List<ProbeResult> verdicts = List.of(
                ProbeResult.decided("residual identity", "a block with zeroed sublayers is the identity", false,
                        "returned norm(x)", 7),
                ProbeResult.decided("kv-cache", "decoding token by token equals the full pass", true, "", 7));

        String report = Diagnosis.of(null, verdicts).withSignatures(TABLE).render(Mode.COACH, Style.UNICODE);

        assertThat(report).isEqualTo(lines("""
                  probes: residual identity ✗  kv-cache ✓
                  ✗ residual identity: a block with zeroed sublayers is the identity
                      returned norm(x)
                  residual identity ✗ → consistent with (nearest, 1 probe apart): pre-norm residual misplaced (the
                      residual adds norm(x) instead of x; the block returns norm(x + f(x))); differs on
                      kv-cache (holds here)
                """));
    }

    @Test
    @DisplayName("when no signature is near, the coach's report says so")
    void noMatch() {
        List<ProbeResult> verdicts = List.of(
                ProbeResult.decided("residual identity", "identity", true, "", 7),
                ProbeResult.decided("kv-cache", "cache", true, "", 7),
                ProbeResult.decided("batch independence", "batch", false, "sample 1 changed", 7),
                ProbeResult.decided("causality", "causal", false, "token 3 saw token 4", 7));

        String report = Diagnosis.of(null, verdicts).withSignatures(TABLE).render(Mode.COACH, Style.UNICODE);

        assertThat(report).endsWith("\n  consistent with: none of the 3 known bugs' probe signatures");
    }

    @Test
    @DisplayName("a golden comparison that passes takes one line, and the probes still report")
    void goldenAgrees(NDManager manager) {
        Comparison agrees = Comparison.of(manager.create(new float[] {1, 2}, new Shape(1, 2)),
                manager.create(new float[] {1, 2}, new Shape(1, 2)), TOLERANCE);
        Diagnosis diagnosis = Diagnosis.of(new GoldenComparison(agrees, "Block output", "the reference block",
                List.of("pos", "dim"), 7L), List.of(ProbeResult.decided("causality", "causal", false, "token 3 saw token 4", 7)));

        assertThat(diagnosis.render(Mode.EVIDENCE, Style.UNICODE)).isEqualTo(lines("""
                Block output agrees with the reference block (tolerance abs 1e-5, rel 1e-4)
                  probes: causality ✗
                  ✗ causality: causal
                      token 3 saw token 4
                  seed: 7 (reruns this exact case)
                """));
    }

    @Test
    @DisplayName("the probe line wraps before 100 columns, under the first verdict")
    void probeLineWraps() {
        List<ProbeResult> verdicts = List.of("causality", "batch independence", "padding independence",
                "relative position", "kv-cache equivalence", "residual identity", "head independence",
                "gqa equals mha", "norm invariance").stream()
                .map(name -> ProbeResult.decided(name, name, true, "", 7)).toList();

        String report = Diagnosis.of(null, verdicts).render(Mode.COACH, Style.UNICODE);

        assertThat(report).isEqualTo(lines("""
                  probes: causality ✓  batch independence ✓  padding independence ✓  relative position ✓
                          kv-cache equivalence ✓  residual identity ✓  head independence ✓  gqa equals mha ✓
                          norm invariance ✓
                """));
    }

    @Test
    @DisplayName("given attention weights, the heatmap shows them query × key instead of the output")
    void attentionWeightsHeatmap(NDManager manager) {
        float[] expected = {0.5f, 0.5f, 0, 0.25f, 0.25f, 0.5f, 1, 0, 0};        // (1, 1, 3, 3)
        float[] actual = {0.5f, 0.5f, 0, 0.25f, 0.25f, 0.5f, 0.5f, 0.5f, 0};
        Comparison weights = Comparison.of(manager.create(actual, new Shape(1, 1, 3, 3)),
                manager.create(expected, new Shape(1, 1, 3, 3)), TOLERANCE);
        Diagnosis diagnosis = Diagnosis.of(golden(manager), List.of()).withAttentionWeights(new GoldenComparison(
                weights, "Attention weights", "the reference's", List.of("batch", "head", "query", "key"), null));

        String report = diagnosis.render(Mode.EVIDENCE, Style.UNICODE);

        assertThat(report).endsWith(lines("""
                  |Δ| by query (rows) × key (columns), max over batch, head; blank: within tolerance
                     0
                  0 │   │
                  1 │   │
                  2 │██ │
                  scale: ░ ≤ 0.13  ▒ ≤ 0.25  ▓ ≤ 0.38  █ ≤ 0.5
                  seed: 7 (reruns this exact case)
                """));
    }

    @Test
    @DisplayName("the layer-by-layer steps follow the probes' evidence")
    void withLocalization(NDManager manager) {
        LayerTrace reference = new LayerTrace("reference", List.of(
                new LayerTrace.Step(0, LayerTrace.ATTENTION, false, 1, new long[] {2}, new float[] {1, 1})), "", null);
        LayerTrace learner = new LayerTrace("learner", List.of(
                new LayerTrace.Step(0, LayerTrace.ATTENTION, false, 1, new long[] {2}, new float[] {1, 3})), "", null);
        Diagnosis diagnosis = Diagnosis.of(null, verdicts(manager).subList(0, 1))
                .withLocalization(Localization.compare(learner, reference, TOLERANCE));

        assertThat(diagnosis.render(Mode.COACH, Style.UNICODE)).isEqualTo(lines("""
                  probes: batch independence ✓
                  layer by layer, |Δ| of learner from reference on real tokens (tolerance abs 1e-5, rel 1e-4):
                    block 0 · attention ✗ 2 ◀ first divergence (jump ×2e5)
                """));
    }

    @Test
    @DisplayName("when every probe holds, the coach says no property is broken instead of naming a near bug")
    void nothingBroken() {
        List<ProbeResult> verdicts = List.of(ProbeResult.decided("residual identity", "identity", true, "", 7),
                ProbeResult.decided("kv-cache", "cache", true, "", 7));

        String report = Diagnosis.of(null, verdicts).withSignatures(TABLE).render(Mode.COACH, Style.UNICODE);

        assertThat(report).contains("no probe fails → consistent with: a bug that breaks no property")
                .doesNotContain("pre-norm residual misplaced");
    }

    /** A text block without its final line break. */
    private static String lines(String block) {
        return block.substring(0, block.length() - 1);
    }
}
