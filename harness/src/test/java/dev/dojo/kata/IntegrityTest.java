package dev.dojo.kata;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proof that the integrity check fails the build when a kata's tests pass on its broken
 * code, and when they fail on its solution: fixture katas (src/test/resources/fixtures), compiled
 * here, each breaking one rule, and one honest kata that keeps them all.
 */
class IntegrityTest {
    private static final String SLUG = "scaler";
    private static final String GOLDEN = "dev.dojo.fixtures.scaler.ScalerGolden";
    private static final String TESTS = "scaler/tests";
    private static final Set<String> TRIGGERING = Set.of("ScalerTest#matchesReference", "ScalerTest#doublesOnes");
    private static final String SEED_PROBLEM = "seed \\d+: ";

    @TempDir
    static Path work;
    private static FixtureKatas fixtures;

    @BeforeAll
    static void compileFixtures() {
        fixtures = new FixtureKatas(work);
    }

    private static Integrity.Side honestBroken() {
        return fixtures.side("scaler/broken", TESTS);
    }

    private static Integrity.Side honestFixed() {
        return fixtures.side("scaler/fixed", TESTS);
    }

    private static Integrity.Report check(Integrity.Side broken, Integrity.Side fixed) {
        return Integrity.check(SLUG, TRIGGERING, GOLDEN, broken, fixed);
    }

    @Test
    @DisplayName("an honest kata is valid: its declared tests fail by assertion, its solution passes, far apart")
    void honestKataIsValid() {
        Integrity.Report report = check(honestBroken(), honestFixed());

        assertThat(report.problems()).isEmpty();
        assertThat(report.valid()).isTrue();
        assertThat(KataTests.ids(report.broken(), KataTests.Status.FAILED_BY_ASSERTION)).isEqualTo(TRIGGERING);
        assertThat(KataTests.ids(report.broken(), KataTests.Status.PASSED)).containsExactly("ScalerTest#keepsShape");
        assertThat(report.solution()).hasSize(3).allMatch(KataTests.Outcome::passed);
        assertThat(report.changedLines()).isEqualTo(2);
        assertThat(report.brokenLeast()).isGreaterThanOrEqualTo(Integrity.BROKEN_AT_LEAST);
        assertThat(report.solutionMost()).isLessThanOrEqualTo(Integrity.SOLUTION_AT_MOST);
    }

    @Test
    @DisplayName("a kata whose tests pass on its broken source is invalid")
    void brokenSourceThatPassesIsInvalid() {
        Integrity.Report report = check(honestFixed(), honestFixed());

        assertThat(report.valid()).isFalse();
        assertThat(report.problems())
                .contains("triggering test ScalerTest#matchesReference passes on the broken source",
                        "triggering test ScalerTest#doublesOnes passes on the broken source")
                .contains("seed 1: the broken source is only 0.00 tolerances from the reference; it must be at least 100")
                .hasSize(2 + Integrity.SEEDS);
    }

    @Test
    @DisplayName("a kata whose solution fails a test is invalid")
    void solutionThatFailsIsInvalid() {
        Integrity.Report report = check(honestBroken(), honestBroken());

        assertThat(report.valid()).isFalse();
        assertThat(report.problems())
                .contains("test ScalerTest#matchesReference does not pass on the solution:"
                                + " an assertion (Scaler output diverges from x · 2)",
                        "test ScalerTest#doublesOnes does not pass on the solution:"
                                + " an assertion (Scaler output diverges from expected)")
                .anyMatch(p -> p.matches("seed 1: the solution is [0-9.e+]+ tolerances from the reference;"
                        + " it must be at most 0.1"));
    }

    @Test
    @DisplayName("a kata whose broken source fails by an exception, not an assertion, is invalid")
    void failureByExceptionIsInvalid() {
        Integrity.Report report = check(fixtures.side("scaler-throws/broken", TESTS), honestFixed());

        assertThat(report.valid()).isFalse();
        String shapeError = "EngineException: shape '[3, 3]' is invalid for input of size ";
        assertThat(report.problems()).containsExactlyInAnyOrder(
                "test ScalerTest#matchesReference fails on the broken source by an exception (" + shapeError + "6),"
                        + " not by assertion",
                "test ScalerTest#doublesOnes fails on the broken source by an exception (" + shapeError + "6),"
                        + " not by assertion",
                "test ScalerTest#keepsShape fails on the broken source by an exception (" + shapeError + "20),"
                        + " not by assertion",
                "test ScalerTest#keepsShape fails on the broken source but is not declared triggering",
                "golden case " + GOLDEN + " fails on the broken source at seed 1: " + shapeError + "6");
    }

    @Test
    @DisplayName("a kata whose broken source fails a test it does not declare is invalid")
    void undeclaredFailureIsInvalid() {
        Integrity.Report report = Integrity.check(SLUG, Set.of("ScalerTest#matchesReference"), GOLDEN,
                honestBroken(), honestFixed());

        assertThat(report.valid()).isFalse();
        assertThat(report.problems()).containsExactly(
                "test ScalerTest#doublesOnes fails on the broken source but is not declared triggering");
    }

    @Test
    @DisplayName("a kata that declares a test it does not have is invalid")
    void declaredTestThatDoesNotRunIsInvalid() {
        Integrity.Report report = Integrity.check(SLUG,
                Set.of("ScalerTest#matchesReference", "ScalerTest#doublesOnes", "ScalerTest#halvesTwos"), GOLDEN,
                honestBroken(), honestFixed());

        assertThat(report.valid()).isFalse();
        assertThat(report.problems()).containsExactly("triggering test ScalerTest#halvesTwos did not run");
    }

    @Test
    @DisplayName("a kata whose fix changes more than 8 lines is invalid, even when the fix is right")
    void longFixIsInvalid() {
        Integrity.Report report = check(honestBroken(), fixtures.side("scaler-long-fix/fixed", TESTS));

        assertThat(report.valid()).isFalse();
        assertThat(report.changedLines()).isEqualTo(9);
        assertThat(report.problems()).containsExactly("the fix changes 9 lines; a kata's fix changes at most 8");
    }

    @Test
    @DisplayName("a kata whose broken source fails its tests but sits close to the reference is invalid, per seed")
    void smallSeparationIsInvalid() {
        Integrity.Report report = check(fixtures.side("scaler-barely-broken/broken", TESTS), honestFixed());

        assertThat(report.valid()).isFalse();
        assertThat(KataTests.ids(report.broken(), KataTests.Status.FAILED_BY_ASSERTION)).isEqualTo(TRIGGERING);
        assertThat(report.problems()).hasSize(Integrity.SEEDS).allMatch(p -> p.matches(SEED_PROBLEM
                + "the broken source is only [0-9.]+ tolerances from the reference; it must be at least 100"));
        assertThat(report.problems().get(0)).startsWith("seed 1: the broken source is only ");
        assertThat(report.brokenLeast()).isBetween(1.0, 11.0);
    }

    @Test
    @DisplayName("a kata whose solution passes its tests but sits near the tolerance is invalid, per seed")
    void looseSolutionIsInvalid() {
        Integrity.Report report = check(honestBroken(), fixtures.side("scaler-loose-solution/fixed", TESTS));

        assertThat(report.valid()).isFalse();
        assertThat(report.solution()).allMatch(KataTests.Outcome::passed);
        assertThat(report.problems()).hasSize(Integrity.SEEDS).allMatch(p -> p.matches(SEED_PROBLEM
                + "the solution is [0-9.]+ tolerances from the reference; it must be at most 0.1"));
        assertThat(report.problems().get(0)).startsWith("seed 1: the solution is ");
    }

    @Test
    @DisplayName("a golden case that cannot be made is reported once per side, not once per seed")
    void missingGoldenCaseIsInvalid() {
        Integrity.Report report = Integrity.check(SLUG, TRIGGERING, "dev.dojo.fixtures.scaler.NoSuchGolden",
                honestBroken(), honestFixed());

        assertThat(report.valid()).isFalse();
        assertThat(report.problems()).containsExactly(
                "golden case dev.dojo.fixtures.scaler.NoSuchGolden cannot be made:"
                        + " java.lang.ClassNotFoundException: dev.dojo.fixtures.scaler.NoSuchGolden",
                "golden case dev.dojo.fixtures.scaler.NoSuchGolden cannot be made:"
                        + " java.lang.ClassNotFoundException: dev.dojo.fixtures.scaler.NoSuchGolden");
    }

    private static Integrity.WrongFix wrongFix(String name, Integrity.Side side) {
        return new Integrity.WrongFix(name, "a fix a tired engineer might write", side);
    }

    @Test
    @DisplayName("a wrong fix that fails a test is rejected, and the report names the tests that caught it")
    void wrongFixThatFailsATestIsRejected() {
        Integrity.Report report = Integrity.check(SLUG, TRIGGERING, GOLDEN, honestBroken(), honestFixed(),
                List.of(wrongFix("triples", fixtures.side("scaler-barely-broken/broken", TESTS))), 1, List.of());

        assertThat(report.problems()).isEmpty();
        assertThat(report.wrongFixes()).singleElement().satisfies(v -> {
            assertThat(v.rejected()).isTrue();
            assertThat(v.failedTests()).containsExactly("ScalerTest#doublesOnes", "ScalerTest#matchesReference");
            assertThat(v.failedProbes()).isEmpty();
        });
        assertThat(report.row()).contains("✓ wrong fixes rejected 1/1");
    }

    @Test
    @DisplayName("a wrong fix that passes every test and probe makes the kata invalid")
    void wrongFixThatPassesIsInvalid() {
        Integrity.Report report = Integrity.check(SLUG, TRIGGERING, GOLDEN, honestBroken(), honestFixed(),
                List.of(wrongFix("doubles", honestFixed())), 1, List.of());

        assertThat(report.valid()).isFalse();
        assertThat(report.problems()).containsExactly(
                "wrong fix doubles passes every test and probe: a fix a tired engineer might write");
        assertThat(report.row()).contains("✗ wrong fixes rejected 0/1");
    }

    @Test
    @DisplayName("a kata that keeps fewer wrong fixes than it must is invalid")
    void tooFewWrongFixesIsInvalid() {
        Integrity.Report report = Integrity.check(SLUG, TRIGGERING, GOLDEN, honestBroken(), honestFixed(),
                List.of(), Integrity.MIN_WRONG_FIXES, List.of());

        assertThat(report.problems()).singleElement().asString()
                .startsWith("the kata keeps 0 wrong fixes; it needs at least " + Integrity.MIN_WRONG_FIXES);
    }

    @Test
    @DisplayName("a wrong fix whose tests pass but whose kit breaks a probe is rejected by that probe")
    void wrongFixCaughtByAProbeIsRejected() {
        Integrity.Side probedFixed = fixtures.side("scaler/fixed", "scaler-probed/tests");

        Integrity.Report report = Integrity.check(SLUG, TRIGGERING, GOLDEN, fixtures.side("scaler/broken",
                "scaler-probed/tests"), probedFixed, List.of(wrongFix("doubles", probedFixed)), 1, List.of());

        assertThat(report.wrongFixes()).singleElement().satisfies(v -> {
            assertThat(v.failedTests()).isEmpty();
            assertThat(v.failedProbes()).contains("causality");
            assertThat(v.rejected()).isTrue();
        });
        assertThat(report.problems()).as("the solution itself breaks the kit's probes, and that is a problem too")
                .anyMatch(p -> p.startsWith("the solution breaks probe causality (seed 1)"));
    }
}
