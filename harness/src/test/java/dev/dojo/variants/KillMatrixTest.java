package dev.dojo.variants;

import dev.dojo.kit.Kit;
import dev.dojo.probes.Probe;
import dev.dojo.probes.ProbeResult;
import dev.dojo.probes.Probes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole matrix, every probe on every variant (3 seeds) and on the four reference kits (20 seeds),
 * computed once for the class: it is the slow part of the probe suite.
 */
class KillMatrixTest {
    private static KillMatrix matrix;

    @BeforeAll
    static void compute() {
        matrix = KillMatrix.standard();
    }

    @Test
    @DisplayName("no probe fails on a reference kit at any of 20 seeds")
    void referenceIsNeverKilled() {
        assertThat(matrix.referenceFailures())
                .as(() -> matrix.referenceFailures().stream().map(ProbeResult::report).collect(Collectors.joining("\n")))
                .isEmpty();
    }

    @Test
    @DisplayName("every probe kills at least one variant")
    void everyProbeKills() {
        assertThat(matrix.idleProbes()).as(matrix::render).isEmpty();
    }

    @Test
    @DisplayName("the declared signature of every variant is exactly the set of probes that kill it")
    void declaredSignaturesMatchTheMatrix() {
        assertThat(Signatures.table().signatures()).hasSize(Variants.all().size());
        matrix.killedBy().forEach((variant, probes) ->
                assertThat(Signatures.declared(variant.name())).as("declared signature of %s", variant.name())
                        .isEqualTo(probes));
    }

    @Test
    @DisplayName("every variant is killed by at least one probe")
    void everyVariantIsKilled() {
        assertThat(matrix.survivors()).as(matrix::render).isEmpty();
    }

    @Test
    @DisplayName("a variant killed by exceptions alone would not count as caught by its probes")
    void killsAreOnEvidence() {
        matrix.killedBy().forEach((variant, probes) -> probes.forEach(probe ->
                assertThat(matrix.result(variant, probe).note()).as(variant.name() + " / " + probe)
                        .doesNotStartWith("threw")));
    }

    @Test
    @DisplayName("killedBy gives each variant's signature by probe name")
    void signatures() {
        assertThat(matrix.killedBy(Variants.named("rope-from-one").orElseThrow())).containsExactly("position zero");
        assertThat(matrix.killedBy(Variants.named("causal-off-by-one").orElseThrow()))
                .containsExactly("causality", "causal jacobian", "kv-cache equivalence");
        assertThat(matrix.killedBy(Variants.named("mask-fill-neg-inf").orElseThrow())).containsExactly("stability");
    }

    @Test
    @DisplayName("the rendered matrix has a row per reference and variant, a column per probe, and a legend")
    void rendering() {
        String text = matrix.render();

        assertThat(text).contains("Kill matrix: 21 probes × 32 known-bad variants")
                .contains("reference (llama)").contains("reference (post-norm)").contains("reference (mistral)")
                .contains("reference (encoder-decoder)")
                .contains(" 21  stability: ")
                .contains("✗ killed: the probe fails at one of seeds 1–3")
                .doesNotContain("survive every probe").doesNotContain("kill no variant");
        for (Variant variant : matrix.variants()) {
            assertThat(text).containsPattern("(?m)^" + variant.name() + " +( [ ✗✓·] ){21}");
        }
    }
}
