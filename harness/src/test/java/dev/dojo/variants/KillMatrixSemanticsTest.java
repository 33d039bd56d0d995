package dev.dojo.variants;

import ai.djl.ndarray.NDManager;
import dev.dojo.junit.ScopedManager;
import dev.dojo.kit.Kit;
import dev.dojo.probes.Probe;
import dev.dojo.probes.ProbeResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/** How a cell is decided, on probes whose verdict depends only on the kit and the seed. */
@ExtendWith(ScopedManager.class)
class KillMatrixSemanticsTest {
    private static final Kit REFERENCE = Kit.reference().named("reference");
    private static final Variant BAD = new Variant("bad", "family", "bug", Kit.reference().named("bad"));

    @Test
    @DisplayName("a probe that fails at the third seed of a variant kills it")
    void killedAtAnySeed(NDManager manager) {
        Probe lateFailure = probe("late", (kit, seed) -> !(kit.name().equals("bad") && seed == 3));

        KillMatrix matrix = KillMatrix.compute(List.of(lateFailure), List.of(BAD), List.of(REFERENCE), manager);

        assertThat(matrix.cell(BAD, "late")).isEqualTo(KillMatrix.Cell.KILLED);
        assertThat(matrix.killedBy()).containsEntry(BAD, Set.of("late"));
        assertThat(matrix.result(BAD, "late").seed()).isEqualTo(3);
    }

    @Test
    @DisplayName("a probe that fails on the reference at seed 17 only is reported as a defect")
    void referenceFailureAtALateSeed(NDManager manager) {
        Probe flaky = probe("flaky", (kit, seed) -> !(kit.name().equals("reference") && seed == 17));

        KillMatrix matrix = KillMatrix.compute(List.of(flaky), List.of(BAD), List.of(REFERENCE), manager);

        assertThat(matrix.referenceFailures()).extracting(ProbeResult::seed).containsExactly(17L);
        assertThat(matrix.referenceCell(REFERENCE, "flaky")).isEqualTo(KillMatrix.Cell.KILLED);
        assertThat(matrix.render()).contains("fails on a reference kit").contains("seed: 17");
    }

    @Test
    @DisplayName("a probe that holds at every seed leaves the variant alive, and the matrix says so")
    void survivors(NDManager manager) {
        Probe blind = probe("blind", (kit, seed) -> true);

        KillMatrix matrix = KillMatrix.compute(List.of(blind), List.of(BAD), List.of(REFERENCE), manager);

        assertThat(matrix.cell(BAD, "blind")).isEqualTo(KillMatrix.Cell.SURVIVED);
        assertThat(matrix.survivors()).containsExactly(BAD);
        assertThat(matrix.idleProbes()).containsExactly("blind");
        assertThat(matrix.render()).contains("survive every probe: bad").contains("kill no variant: blind");
    }

    @Test
    @DisplayName("a probe that does not apply is neither a kill nor a survival")
    void notApplicable(NDManager manager) {
        Probe never = new Probe() {
            public String name() {
                return "never";
            }

            public String property() {
                return "applies to nothing";
            }

            public ProbeResult check(Kit kit, NDManager m, long seed) {
                return ProbeResult.notApplicable("never", property(), "no such part");
            }
        };

        KillMatrix matrix = KillMatrix.compute(List.of(never), List.of(BAD), List.of(REFERENCE), manager);

        assertThat(matrix.cell(BAD, "never")).isEqualTo(KillMatrix.Cell.NOT_APPLICABLE);
        assertThat(matrix.killedBy(BAD)).isEmpty();
        assertThat(matrix.referenceFailures()).isEmpty();
    }

    private static Probe probe(String name, BiPredicate<Kit, Long> holds) {
        return new Probe() {
            public String name() {
                return name;
            }

            public String property() {
                return "holds when the test says so";
            }

            public ProbeResult check(Kit kit, NDManager m, long seed) {
                return ProbeResult.decided(name, property(), holds.test(kit, seed), "decided by the test", seed);
            }
        };
    }
}
