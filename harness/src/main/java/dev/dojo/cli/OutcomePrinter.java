package dev.dojo.cli;

import dev.dojo.worker.Output;
import dev.dojo.worker.ProbeVerdict;
import dev.dojo.worker.TestOutcome;
import dev.dojo.worker.Verdict;

import java.time.Duration;
import java.util.List;

/**
 * Prints test outcomes the way a learner reads them: a mark, the test's words, then the evidence;
 * then what the component printed, and the verdict last.
 */
final class OutcomePrinter {
    private final Terminal terminal;
    private final Duration timeout;

    OutcomePrinter(Terminal terminal, Duration timeout) {
        this.terminal = terminal;
        this.timeout = timeout;
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

    /** What the component printed, then the verdict: compile errors, why the run stopped, or the counts and the probes. */
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
            terminal.out().println(terminal.red("no tests ran: the kata's tests (src/test/java) have no @Test method"));
            return;
        }
        String line = verdict.passed() + " passed, " + verdict.failed() + " failed";
        terminal.out().println(verdict.testsPassed() ? terminal.green(line) : terminal.red(line));
        if (!verdict.testsPassed()) {
            return;
        }
        List<ProbeVerdict> broken = verdict.brokenProbes();
        if (broken.isEmpty()) {
            terminal.out().println(terminal.green("every probe that applies holds (" + verdict.probes().size() + ")"));
            return;
        }
        terminal.out().println(terminal.red("tests pass, but " + String.join("  ", broken.stream()
                .map(p -> p.probe() + " ✗").toList())
                + ": not solved yet, the component still breaks a property every correct one has"));
        for (ProbeVerdict probe : broken) {
            terminal.out().println(probe.report().indent(2).stripTrailing());
        }
    }

    /** The lines the component printed, cut to the first few, with how many more there were. */
    void output(Output output) {
        if (output.isEmpty()) {
            return;
        }
        long lines = output.lines();
        terminal.out().println(terminal.dim(output.complete() && output.more() == 0
                ? "the component printed " + lines + (lines == 1 ? " line:" : " lines:")
                : "the component printed " + (output.complete() ? lines + " lines; the first " : "these and more; the first ")
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

    /** The first stack frames in kata code, so an exception points at the learner's line. */
    private static String where(List<String> frames) {
        StringBuilder s = new StringBuilder();
        for (String frame : frames) {
            s.append("at ").append(frame).append('\n');
        }
        return s.toString().stripTrailing();
    }
}
