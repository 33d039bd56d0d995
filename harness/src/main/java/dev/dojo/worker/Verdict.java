package dev.dojo.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A test run's result as the CLI shows it: the outcomes and the applicable probes' verdicts (run
 * only once every test passes), or the compile errors when the sources did not compile; what the
 * learner's code printed; and, when the run ended without its verdict, why ({@code stop}).
 */
public record Verdict(List<TestOutcome> outcomes, List<ProbeVerdict> probes, String compileErrors, Output output,
                      Stop stop, Duration took) {
    public boolean compiled() {
        return compileErrors == null;
    }

    /** Whether the run ended with its verdict: not stopped by an exit, a timeout, a crash or lack of memory. */
    public boolean finished() {
        return stop == null;
    }

    public long passed() {
        return outcomes.stream().filter(TestOutcome::passed).count();
    }

    public long failed() {
        return outcomes.size() - passed();
    }

    public boolean testsPassed() {
        return compiled() && finished() && !outcomes.isEmpty() && failed() == 0;
    }

    /** The applicable probes that fail although the tests pass. */
    public List<ProbeVerdict> brokenProbes() {
        return probes.stream().filter(ProbeVerdict::fails).toList();
    }

    /** Solved: the run finished, every test passes and every probe that applies to the kata holds. */
    public boolean solved() {
        return testsPassed() && brokenProbes().isEmpty();
    }

    /** What failed, by name, as a session logs it: the failing tests' words, then the failing probes'; "does not compile" if it did not. */
    public List<String> failing() {
        if (!compiled()) {
            return List.of("does not compile");
        }
        List<String> names = new ArrayList<>();
        outcomes.stream().filter(o -> !o.passed()).forEach(o -> names.add(o.displayName()));
        brokenProbes().forEach(p -> names.add(p.probe() + " ✗"));
        return List.copyOf(names);
    }
}
