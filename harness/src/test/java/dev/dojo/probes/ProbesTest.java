package dev.dojo.probes;

import ai.djl.ndarray.NDManager;
import dev.dojo.junit.ScopedManager;
import dev.dojo.kit.Kit;
import dev.dojo.variants.Variant;
import dev.dojo.variants.Variants;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every probe holds on the reference kits (Llama, post-norm, Mistral, encoder-decoder) and fails,
 * on its evidence, on a known-bad variant it exists to catch. KillMatrixTest checks the same over
 * 20 seeds and every variant; these are the cheap, readable cases.
 */
@ExtendWith(ScopedManager.class)
class ProbesTest {

    static Stream<Arguments> probesOnReferences() {
        return Probes.all().stream().flatMap(probe -> Variants.references().stream().flatMap(
                kit -> Stream.of(1L, 2L).map(seed -> Arguments.of(probe.name(), kit.name(), seed))));
    }

    @ParameterizedTest(name = "{0} holds (or does not apply) on the {1} at seed {2}")
    @MethodSource("probesOnReferences")
    void holdsOnTheReference(String probeName, String kitName, long seed, NDManager manager) {
        Kit kit = Variants.references().stream().filter(k -> k.name().equals(kitName)).findFirst().orElseThrow();
        ProbeResult result = probe(probeName).run(kit, manager, seed);

        if (result.verdict() != ProbeResult.Verdict.NOT_APPLICABLE) {
            assertThat(result).holds();
        }
    }

    /** For each probe, a variant whose bug it exists to catch. */
    static Stream<Arguments> probesOnTheirVariants() {
        return Stream.of(
                Arguments.of(BatchIndependence.NAME, "rmsnorm-over-everything"),
                Arguments.of(PaddingIndependence.NAME, "mask-on-query-axis"),
                Arguments.of(Causality.NAME, "causal-off-by-one"),
                Arguments.of(CausalJacobian.NAME, "causal-mask-missing"),
                Arguments.of(KvCacheEquivalence.NAME, "rope-ignores-offset"),
                Arguments.of(KvCacheEquivalence.NAME, "decode-mask-offset-zero"),
                Arguments.of(ResidualIdentity.NAME, "prenorm-residual-from-norm"),
                Arguments.of(ResidualIdentity.NAME, "postnorm-sublayer-norm"),
                Arguments.of(HeadIndependence.NAME, "heads-merge-without-transpose"),
                Arguments.of(GroupedQueryConsistency.NAME, "gqa-tile"),
                Arguments.of(PermutationEquivariance.NAME, "heads-split-without-transpose"),
                Arguments.of(PositionZero.NAME, "rope-from-one"),
                Arguments.of(RelativePosition.NAME, "rope-rotate-half-sign"),
                Arguments.of(ScaleInvariance.NAME, "rmsnorm-no-sqrt"),
                Arguments.of(ShiftInvariance.NAME, "layernorm-no-centering"),
                Arguments.of(GradientFlow.NAME, "kv-detached"),
                Arguments.of(Stability.NAME, "softmax-without-max"),
                Arguments.of(Stability.NAME, "mask-fill-neg-inf"),
                Arguments.of(RowSums.NAME, "mask-after-softmax"),
                Arguments.of(RowSums.NAME, "softmax-over-queries"),
                Arguments.of(SlidingWindow.NAME, "window-one-too-wide"),
                Arguments.of(SlidingWindow.NAME, "window-wrong-side"),
                Arguments.of(RollingBufferEquivalence.NAME, "rolling-write-slot"),
                Arguments.of(RollingBufferEquivalence.NAME, "rolling-read-unrotated"),
                Arguments.of(TilingInvariance.NAME, "online-softmax-sum-unscaled"),
                Arguments.of(TilingInvariance.NAME, "online-softmax-accumulator-unscaled"),
                Arguments.of(DecoderCausality.NAME, "cross-attention-on-decoder-stream"),
                Arguments.of(MemoryPaddingIndependence.NAME, "cross-attention-target-padding"));
    }

    @ParameterizedTest(name = "{0} fails on {1}")
    @MethodSource("probesOnTheirVariants")
    void failsOnItsVariant(String probeName, String variantName, NDManager manager) {
        Variant variant = Variants.named(variantName).orElseThrow();

        ProbeResult result = probe(probeName).run(variant.kit(), manager, 1);

        assertThat(result.verdict()).as(result::report).isEqualTo(ProbeResult.Verdict.FAILS);
        assertThat(result.note()).as("fails on its evidence, not on an exception").doesNotStartWith("threw");
    }

    @Test
    @DisplayName("every probe in the catalogue has a failing case above")
    void everyProbeHasAFailingCase() {
        List<String> covered = probesOnTheirVariants().map(a -> (String) a.get()[0]).distinct().toList();

        assertThat(covered).containsExactlyInAnyOrderElementsOf(Probes.all().stream().map(Probe::name).toList());
    }

    @Test
    @DisplayName("the catalogue holds twenty-one probes with distinct names")
    void namesAreUnique() {
        List<String> names = Probes.all().stream().map(Probe::name).toList();

        assertThat(names).doesNotHaveDuplicates().hasSize(21);
    }

    static Probe probe(String name) {
        return Probes.all().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }
}
