package dev.dojo.drills;

import dev.dojo.kata.KataTests;
import dev.dojo.kata.ProbeGate;
import dev.dojo.probes.ProbeResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A drill run's result, on a kata's terms: the tests' outcomes, the applicable probes' verdicts, or
 * the compile errors when the drill's sources did not compile.
 */
public record DrillVerdict(List<KataTests.Outcome> outcomes, List<ProbeResult> probes, String compileErrors,
                           Duration took) {

    public boolean compiled() {
        return compileErrors == null;
    }

    public long passed() {
        return outcomes.stream().filter(KataTests.Outcome::passed).count();
    }

    public long failed() {
        return outcomes.size() - passed();
    }

    public boolean testsPassed() {
        return compiled() && !outcomes.isEmpty() && failed() == 0;
    }

    /** The applicable probes that fail. */
    public List<ProbeResult> brokenProbes() {
        return ProbeGate.failing(probes);
    }

    /** Solved: every test passes and every probe that applies holds. */
    public boolean solved() {
        return testsPassed() && brokenProbes().isEmpty();
    }

    /** What failed, by name: the failing tests' words, then the failing probes'; "does not compile" if it did not. */
    public List<String> failing() {
        List<String> names = new ArrayList<>();
        if (!compiled()) {
            names.add("does not compile");
            return names;
        }
        outcomes.stream().filter(o -> !o.passed()).forEach(o -> names.add(o.displayName()));
        brokenProbes().forEach(p -> names.add(p.probe() + " ✗"));
        return names;
    }
}
