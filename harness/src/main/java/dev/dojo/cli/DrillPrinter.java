package dev.dojo.cli;

import dev.dojo.drills.DrillVerdict;
import dev.dojo.kata.KataTests;
import dev.dojo.kata.ProbeGate;
import dev.dojo.probes.ProbeResult;

import java.time.Duration;
import java.util.List;

/** Prints a drill run as a kata run reads: a mark and the test's words, the evidence, then the verdict. */
final class DrillPrinter {
    private final Terminal terminal;
    private final Duration timeout;

    DrillPrinter(Terminal terminal, Duration timeout) {
        this.terminal = terminal;
        this.timeout = timeout;
    }

    void print(KataTests.Outcome outcome) {
        String name = outcome.displayName();
        switch (outcome.status()) {
            case PASSED -> terminal.out().println("  " + terminal.green("✓") + " " + name);
            case SKIPPED -> terminal.out().println("  - " + name + terminal.dim(" (skipped: " + outcome.message() + ")"));
            case TIMED_OUT -> terminal.out().println("  " + terminal.red("✗") + " " + name + "\n      "
                    + terminal.yellow("did not finish within " + timeout.toSeconds() + " s: is there an endless loop?"));
            case FAILED_BY_ERROR -> terminal.out().println("  " + terminal.red("✗") + " " + name + "\n"
                    + ("threw " + outcome.message() + "\n" + where(outcome.failure())).indent(6).stripTrailing());
            case FAILED_BY_ASSERTION -> terminal.out().println("  " + terminal.red("✗") + " " + name + "\n"
                    + outcome.message().indent(6).stripTrailing());
        }
    }

    void summary(DrillVerdict verdict) {
        if (!verdict.compiled()) {
            terminal.out().println(terminal.red("does not compile:"));
            terminal.out().println(verdict.compileErrors().indent(2).stripTrailing());
            return;
        }
        String line = verdict.passed() + " passed, " + verdict.failed() + " failed";
        terminal.out().println(verdict.testsPassed() ? terminal.green(line) : terminal.red(line));
        if (!verdict.testsPassed()) {
            List<ProbeResult> broken = verdict.brokenProbes();
            if (!verdict.probes().isEmpty()) {
                terminal.out().println(broken.isEmpty() ? "probes: every one that applies holds ("
                        + verdict.probes().size() + ")" : "probes: " + ProbeGate.summary(broken) + "  (the others hold)");
            }
            return;
        }
        List<ProbeResult> broken = verdict.brokenProbes();
        if (broken.isEmpty()) {
            terminal.out().println(terminal.green("every probe that applies holds (" + verdict.probes().size() + ")"));
            return;
        }
        terminal.out().println(terminal.red("tests pass, but " + ProbeGate.summary(broken)
                + ": not solved yet, the part still breaks a property every correct one has"));
        for (ProbeResult probe : broken) {
            terminal.out().println(probe.report().indent(2).stripTrailing());
        }
    }

    /** The first stack frames in the drill's code, so an exception points at the pair's line. */
    private static String where(Throwable failure) {
        if (failure == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        int shown = 0;
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().startsWith(dev.dojo.drills.Planter.PACKAGE + ".") && shown < 3) {
                s.append("at ").append(frame).append('\n');
                shown++;
            }
        }
        return s.toString().stripTrailing();
    }
}
