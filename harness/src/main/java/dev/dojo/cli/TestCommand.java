package dev.dojo.cli;

import dev.dojo.diagnosis.Mode;
import dev.dojo.kata.Kata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "test", description = "Run a kata's tests and show where it diverges. Exit 0 only when all pass.")
final class TestCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Parameters(paramLabel = "<slug>", description = "the kata, as ./kata list names it")
    String slug;

    @Option(names = "--interview", description = "evidence only: no suggestions or hints, and a timer")
    boolean interview;

    @Option(names = "--timeout", description = "seconds each test may run (default: ${DEFAULT-VALUE})")
    long timeoutSeconds = KataRunner.TEST_TIMEOUT.toSeconds();

    @Override
    public Integer call() {
        Kata kata = dojo.workspace.kata(slug);
        Terminal t = dojo.terminal;
        Progress progress = dojo.workspace.progress();
        ListCommand.warn(t, progress);
        t.out().println(t.bold(slug) + ": " + kata.title());
        if (interview) {
            t.out().println(t.dim("⏱ " + ListCommand.clock(progress.elapsed(slug, Instant.now())) + " (time box "
                    + kata.timebox() + ")"));
        }
        t.out().println();
        System.setProperty(Mode.PROPERTY, interview ? "interview" : "coach");   // read by the kata's failures
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        OutcomePrinter printer = new OutcomePrinter(t, timeout);
        KataRunner.Verdict verdict = KataRunner.run(kata, timeout, printer::print);
        t.out().println();
        printer.summary(verdict);
        if (verdict.compiled()) {
            progress.ran(slug, verdict.allPassed(), Instant.now());
        }
        if (!verdict.allPassed() && !interview) {
            t.out().println(t.dim("Stuck? ./kata hint " + slug));
        }
        return verdict.allPassed() ? 0 : 1;
    }
}
