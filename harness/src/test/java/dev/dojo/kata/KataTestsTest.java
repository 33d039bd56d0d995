package dev.dojo.kata;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How {@link KataTests#run} says each test ended, on a fixture with one test per ending
 * (src/test/resources/fixtures/outcomes), one of them an endless loop that ignores interrupts.
 */
class KataTestsTest {
    private static final String RELEASE = "dojo.fixtures.release";
    private static final String FIXTURE_CLASS = "dev.dojo.fixtures.outcomes.OutcomesTest";

    @TempDir
    static Path work;
    private static final List<KataTests.Outcome> heard = Collections.synchronizedList(new ArrayList<>());
    private static Map<String, KataTests.Outcome> outcomes;
    private static List<Thread> stillLooping;

    @BeforeAll
    @Timeout(120) // a guard, not a measurement: if the loop hung the run, this fails instead of stalling the build
    static void runFixture() {
        Path tests = new FixtureKatas(work).tests("outcomes/tests");

        List<KataTests.Outcome> run = KataTests.run(List.of(tests), tests, Duration.ofSeconds(1), heard::add);

        outcomes = run.stream().collect(Collectors.toMap(KataTests.Outcome::id, Function.identity()));
        stillLooping = Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(FIXTURE_CLASS)))
                .map(Map.Entry::getKey).toList();
    }

    @AfterAll
    static void releaseTheLoop() throws InterruptedException {
        System.setProperty(RELEASE, "true");
        try {
            for (Thread thread : stillLooping) {
                thread.join(10_000);
            }
        } finally {
            System.clearProperty(RELEASE);
        }
    }

    @Test
    @DisplayName("every test is reported once, by Class#method, and the listener hears each as it ends")
    void reportsEveryTest() {
        assertThat(outcomes).containsOnlyKeys("OutcomesTest#passes", "OutcomesTest#failsByAssertion",
                "OutcomesTest#failsByException", "OutcomesTest#isSkipped", "OutcomesTest#loopsForever");
        assertThat(heard).containsExactlyInAnyOrderElementsOf(outcomes.values());
        assertThat(outcomes.get("OutcomesTest#passes").displayName()).isEqualTo("passes");
    }

    @Test
    @DisplayName("a passing test is PASSED, with no message")
    void passing() {
        KataTests.Outcome outcome = outcomes.get("OutcomesTest#passes");
        assertThat(outcome.status()).isEqualTo(KataTests.Status.PASSED);
        assertThat(outcome.passed()).isTrue();
        assertThat(outcome.message()).isEmpty();
    }

    @Test
    @DisplayName("a failed assertion is FAILED_BY_ASSERTION, with the assertion's message")
    void failedAssertion() {
        KataTests.Outcome outcome = outcomes.get("OutcomesTest#failsByAssertion");
        assertThat(outcome.status()).isEqualTo(KataTests.Status.FAILED_BY_ASSERTION);
        assertThat(outcome.message()).isEqualTo(String.format("[one plus one] %nexpected: 3%n but was: 2"));
    }

    @Test
    @DisplayName("an exception is FAILED_BY_ERROR, with the exception's type and message")
    void exception() {
        KataTests.Outcome outcome = outcomes.get("OutcomesTest#failsByException");
        assertThat(outcome.status()).isEqualTo(KataTests.Status.FAILED_BY_ERROR);
        assertThat(outcome.message()).isEqualTo("IllegalArgumentException: heads (6) must divide model width (64)");
        assertThat(outcome.failure()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a failed assumption is SKIPPED, with its reason")
    void skipped() {
        KataTests.Outcome outcome = outcomes.get("OutcomesTest#isSkipped");
        assertThat(outcome.status()).isEqualTo(KataTests.Status.SKIPPED);
        assertThat(outcome.message()).isEqualTo("TestAbortedException: Assumption failed: not on this machine");
    }

    @Test
    @DisplayName("an endless loop is TIMED_OUT after the timeout, and the run goes on to the other tests")
    void endlessLoopTimesOut() {
        KataTests.Outcome outcome = outcomes.get("OutcomesTest#loopsForever");
        assertThat(outcome.status()).isEqualTo(KataTests.Status.TIMED_OUT);
        assertThat(outcome.message()).isEqualTo("TimeoutException: loopsForever() timed out after 1000 milliseconds");
    }

    @Test
    @DisplayName("the abandoned loop runs on a daemon thread, so it cannot keep the JVM from exiting")
    void abandonedLoopIsADaemon() {
        assertThat(stillLooping).as("threads still running the fixture's loop").isNotEmpty()
                .allSatisfy(thread -> assertThat(thread.isDaemon()).as("%s is a daemon", thread.getName()).isTrue());
    }

    @Test
    @DisplayName("a class path entry that does not exist is reported as an uncompiled kata")
    void missingClasspathEntry() {
        Path missing = work.resolve("nowhere/target/classes");

        assertThatThrownBy(() -> KataTests.run(List.of(missing), missing, Duration.ofSeconds(1), o -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("missing " + missing + ": the kata is not compiled");
    }
}
