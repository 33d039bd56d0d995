package dev.dojo.cli;

import dev.dojo.diagnosis.Mode;
import dev.dojo.kata.Kata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

@Command(name = "watch", description = "Re-run a kata's tests on every save, in a warm JVM. Ctrl-C stops.")
final class WatchCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Parameters(paramLabel = "<slug>", description = "the kata")
    String slug;

    @Option(names = "--interview", description = "evidence only: no suggestions or hints, and a timer")
    boolean interview;

    @Option(names = "--timeout", description = "seconds each test may run (default: ${DEFAULT-VALUE})")
    long timeoutSeconds = KataRunner.TEST_TIMEOUT.toSeconds();

    @Option(names = "--runs", hidden = true, description = "stop after this many runs (for tests and benchmarks)")
    int runs = -1;

    @Override
    public Integer call() throws InterruptedException {
        Kata kata = dojo.workspace.kata(slug);
        Terminal t = dojo.terminal;
        Progress progress = dojo.workspace.progress();
        ListCommand.warn(t, progress);
        progress.started(slug, Instant.now());
        System.setProperty(Mode.PROPERTY, interview ? "interview" : "coach");   // read by the kata's failures
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        OutcomePrinter printer = new OutcomePrinter(t, timeout);
        AtomicInteger done = new AtomicInteger();
        t.out().println(t.bold(slug) + ": " + kata.title() + t.dim("  (watching " + kata.kataDir().getFileName()
                + "/src; Ctrl-C stops)"));
        new Watcher(kata, timeout).watch(() -> runs >= 0 && done.get() >= runs, printer::print, run -> {
            printer.summary(run.verdict());
            String timing = run.saveToVerdict().isZero() ? "" : "  verdict " + run.saveToVerdict().toMillis() + " ms after save";
            String timer = interview ? "  ⏱ " + ListCommand.clock(progress.elapsed(slug, Instant.now())) : "";
            t.out().println(t.dim("── " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + timing + timer
                    + " ── waiting for a save"));
            if (run.verdict().compiled()) {
                progress.ran(slug, run.verdict().allPassed(), Instant.now());
            }
            if (run.verdict().allPassed()) {
                t.out().println(t.green("All green. ") + "./kata solution " + slug + " explains why the fix is right.");
            }
            done.incrementAndGet();
        });
        return 0;
    }
}
