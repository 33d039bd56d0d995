package dev.dojo.cli;

import dev.dojo.worker.Output;
import dev.dojo.worker.ProbeVerdict;
import dev.dojo.worker.TestOutcome;
import dev.dojo.worker.Verdict;

import java.time.Duration;
import java.util.List;

/**
 * Prints test outcomes the way a learner reads them: a mark, the test's words, then the evidence;
 * then what the component printed, and the verdict last. A kata's run and a drill's read alike.
 */
final class OutcomePrinter {
    private final Terminal terminal;
    private final Duration timeout;
    private final String code;

    /** A printer for a kata's runs, whose code is "the component". */
    OutcomePrinter(Terminal terminal, Duration timeout) {
        this(terminal, timeout, "component");
    }

    /** A printer for runs of {@code code}: "component" for a kata, "part" for a drill. */
    OutcomePrinter(Terminal terminal, Duration timeout, String code) {
        this.terminal = terminal;
        this.timeout = timeout;
        this.code = code;
    }

    void print(TestOutcome outcome) {
        String name = outcome.displayName();
        switch (outcome.status()) {
            case PASSED -> terminal.out().println("  " + terminal.green("✓") + " " + name);
            case SKIPPED -> terminal.out().println("  - " + name + terminal.dim(" (skipped: " + outcome.message() + ")"));
            case TIMED_OUT -> terminal.out().println("  " + terminal.red("✗") + " " + name + "\n      "
                    + terminal.yellow("did not finish within " + timeout.toSeconds() + " s (" + outcome.id()
                    + "): is there an endless loop?"));
            case FAILED_BY_ERROR -> terminal.out().println("  " + terminal.red("✗") + " " + name + "\n"
                    + ("threw " + outcome.message() + "\n" + where(outcome.frames())).indent(6).stripTrailing());
            case FAILED_BY_ASSERTION -> terminal.out().println("  " + terminal.red("✗") + " " + name + "\n"
                    + outcome.message().indent(6).stripTrailing());
        }
    }

    /**
     * What the code printed, then the verdict: compile errors, why the run stopped, or the counts
     * and the probes (a drill's run has them when its tests fail too).
     */
    void summary(Verdict verdict) {
        output(verdict.output());
        if (!verdict.compiled()) {
            terminal.out().println(terminal.red("does not compile:"));
            terminal.out().println(verdict.compileErrors().indent(2).stripTrailing());
            return;
        }
        if (!verdict.finished()) {
            terminal.out().println(terminal.red(verdict.stop().message()));
            return;
        }
        if (verdict.outcomes().isEmpty()) {
            terminal.out().println(terminal.red("no tests ran: the tests in src/test/java have no @Test method"));
            return;
        }
        String line = verdict.passed() + " passed, " + verdict.failed() + " failed";
        terminal.out().println(verdict.testsPassed() ? terminal.green(line) : terminal.red(line));
        List<ProbeVerdict> broken = verdict.brokenProbes();
        if (!verdict.testsPassed()) {
            if (!verdict.probes().isEmpty()) {
                terminal.out().println(broken.isEmpty() ? "probes: every one that applies holds ("
                        + verdict.probes().size() + ")" : "probes: " + names(broken) + "  (the others hold)");
            }
            return;
        }
        if (broken.isEmpty()) {
            terminal.out().println(terminal.green("every probe that applies holds (" + verdict.probes().size() + ")"));
            return;
        }
        terminal.out().println(terminal.red("tests pass, but " + names(broken) + ": not solved yet, the " + code
                + " still breaks a property every correct one has"));
        for (ProbeVerdict probe : broken) {
            terminal.out().println(probe.report().indent(2).stripTrailing());
        }
    }

    /** The lines the code printed, cut to the first few, with how many more there were. */
    void output(Output output) {
        if (output.isEmpty()) {
            return;
        }
        long lines = output.lines();
        terminal.out().println(terminal.dim(output.complete() && output.more() == 0
                ? "the " + code + " printed " + lines + (lines == 1 ? " line:" : " lines:")
                : "the " + code + " printed " + (output.complete() ? lines + " lines; the first " : "these and more; the first ")
                + output.shown().size() + ":"));
        for (String line : output.shown()) {
            terminal.out().println(terminal.dim("  │ ") + line);
        }
        if (output.more() > 0) {
            terminal.out().println(terminal.dim("  … and " + output.more() + " more lines"));
        } else if (!output.complete()) {
            terminal.out().println(terminal.dim("  … and perhaps more (the run was stopped before they were counted)"));
        }
        terminal.out().println();
    }

    /** The failing probes by name: "causality ✗  padding independence ✗". */
    private static String names(List<ProbeVerdict> broken) {
        return String.join("  ", broken.stream().map(p -> p.probe() + " ✗").toList());
    }

    /** The first stack frames in the learner's code, so an exception points at their line. */
    private static String where(List<String> frames) {
        StringBuilder s = new StringBuilder();
        for (String frame : frames) {
            s.append("at ").append(frame).append('\n');
        }
        return s.toString().stripTrailing();
    }
}
