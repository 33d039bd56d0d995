package dev.dojo.cli;

import dev.dojo.kata.Kata;
import dev.dojo.kata.KataTests;
import dev.dojo.kata.ProbeGate;
import dev.dojo.probes.ProbeResult;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Compiles a kata's sources if they changed and runs its tests in a fresh class loader; when they
 * all pass, runs the probes that apply to the kata's kit, since a kata is solved only when both hold.
 */
final class KataRunner {
    static final Duration TEST_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A run's result: the outcomes and the applicable probes' verdicts (run only once every test
     * passes), or the compile errors when the sources did not compile.
     */
    record Verdict(List<KataTests.Outcome> outcomes, List<ProbeResult> probes, String compileErrors, Duration took) {
        boolean compiled() {
            return compileErrors == null;
        }

        long passed() {
            return outcomes.stream().filter(KataTests.Outcome::passed).count();
        }

        long failed() {
            return outcomes.size() - passed();
        }

        boolean testsPassed() {
            return compiled() && !outcomes.isEmpty() && failed() == 0;
        }

        /** The applicable probes that fail although the tests pass. */
        List<ProbeResult> brokenProbes() {
            return ProbeGate.failing(probes);
        }

        /** Solved: every test passes and every probe that applies to the kata holds. */
        boolean solved() {
            return testsPassed() && brokenProbes().isEmpty();
        }
    }

    private KataRunner() {}

    /** Compiles and runs {@code kata}'s tests, then its probes if they pass; {@code live} hears each outcome as it happens. */
    static Verdict run(Kata kata, Duration timeout, Consumer<KataTests.Outcome> live) {
        long start = System.nanoTime();
        Path module = kata.kataDir();
        try {
            KataCompiler.compileIfStale(module, module.resolve("src/test/java"));
        } catch (KataCompiler.CompileError e) {
            return new Verdict(List.of(), List.of(), e.getMessage(), Duration.ofNanos(System.nanoTime() - start));
        }
        Path tests = module.resolve("target/test-classes");
        List<Path> classpath = List.of(module.resolve("target/classes"), tests);
        List<KataTests.Outcome> outcomes = KataTests.run(classpath, tests, timeout, live);
        List<ProbeResult> probes = List.of();
        if (!outcomes.isEmpty() && outcomes.stream().allMatch(KataTests.Outcome::passed)) {
            probes = ProbeGate.check(classpath, kata.golden(), ProbeGate.SEEDS);
        }
        return new Verdict(outcomes, probes, null, Duration.ofNanos(System.nanoTime() - start));
    }
}
