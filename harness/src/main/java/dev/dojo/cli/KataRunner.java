package dev.dojo.cli;

import dev.dojo.kata.Kata;
import dev.dojo.kata.KataTests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Compiles a kata's sources if they changed and runs its tests in a fresh class loader. */
final class KataRunner {
    static final Duration TEST_TIMEOUT = Duration.ofSeconds(30);

    /** A run's result: the outcomes, or the compile errors when the sources did not compile. */
    record Verdict(List<KataTests.Outcome> outcomes, String compileErrors, Duration took) {
        boolean compiled() {
            return compileErrors == null;
        }

        long passed() {
            return outcomes.stream().filter(KataTests.Outcome::passed).count();
        }

        long failed() {
            return outcomes.size() - passed();
        }

        boolean allPassed() {
            return compiled() && !outcomes.isEmpty() && failed() == 0;
        }
    }

    private KataRunner() {}

    /** Compiles and runs {@code kata}'s tests; {@code live} hears each outcome as it happens. */
    static Verdict run(Kata kata, Duration timeout, Consumer<KataTests.Outcome> live) {
        long start = System.nanoTime();
        Path module = kata.kataDir();
        try {
            KataCompiler.compileIfStale(module, module.resolve("src/test/java"));
        } catch (KataCompiler.CompileError e) {
            return new Verdict(List.of(), e.getMessage(), Duration.ofNanos(System.nanoTime() - start));
        }
        Path tests = module.resolve("target/test-classes");
        List<KataTests.Outcome> outcomes = KataTests.run(List.of(module.resolve("target/classes"), tests), tests,
                timeout, live);
        return new Verdict(outcomes, null, Duration.ofNanos(System.nanoTime() - start));
    }
}
