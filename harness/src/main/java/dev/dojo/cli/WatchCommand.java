package dev.dojo.cli;

import dev.dojo.diagnosis.Mode;
import dev.dojo.kata.Kata;
import dev.dojo.worker.Workers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

@Command(name = "watch", description = "Re-run a kata's tests on every save, from a warm worker. Ctrl-C stops.")
final class WatchCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Parameters(paramLabel = "<slug>", description = "the kata")
    String slug;

    @Mixin
    RunOptions options;

    @Option(names = "--runs", hidden = true, description = "stop after this many runs (for tests and benchmarks)")
    int runs = -1;

    @Override
    public Integer call() throws InterruptedException {
        Kata kata = dojo.kata(slug);
        Terminal t = dojo.terminal;
        Duration timeout = options.timeout();
        int hintCount = Briefing.read(kata).hints().size();
        Progress progress = dojo.workspace.progress();
        progress.started(kata.slug(), Instant.now());
        AtomicReference<Mode> mode = new AtomicReference<>(options.mode(progress.entry(kata.slug()).hints, hintCount));
        OutcomePrinter printer = new OutcomePrinter(t, timeout);
        AtomicInteger done = new AtomicInteger();
        t.out().println(t.bold(kata.slug()) + (options.interview ? "" : ": " + kata.title())
                + t.dim("  (watching " + kata.kataDir().getFileName() + "/src; Ctrl-C stops)"));
        Pairing.Clock pairClock = Pairing.watching(dojo.workspace, "kata " + kata.slug(), t);
        try (Workers workers = Workers.warm()) {
            Watcher.of(kata, workers, () -> options.request(kata, mode.get()), printer::print, t.err()::println)
                    .watch(() -> runs >= 0 && done.get() >= runs, run -> report(run, kata, mode, hintCount, done));
        } finally {
            pairClock.close();
        }
        return 0;
    }

    /** Prints a run's verdict, records it, and reads the mode for the next run (a hint may have earned coaching). */
    private void report(Watcher.Run run, Kata kata, AtomicReference<Mode> mode, int hintCount, AtomicInteger done) {
        Terminal t = dojo.terminal;
        new OutcomePrinter(t, options.timeout()).summary(run.verdict());
        // read afresh: start, hint or another watch may have written progress since
        Progress now = dojo.workspace.progress();
        if (run.verdict().compiled()) {
            now.ran(kata.slug(), run.verdict().solved(), Instant.now());
        }
        Pairing.ranKata(dojo.workspace, kata.slug(), run.verdict());
        String timing = run.saveToVerdict().isZero() ? "" : "  verdict " + run.saveToVerdict().toMillis() + " ms after save";
        String timer = options.interview ? "  " + ListCommand.timer(now, kata, Instant.now()) : "";
        t.out().println(t.dim("── " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + timing + timer
                + " ── waiting for a save"));
        if (run.verdict().solved()) {
            t.out().println(t.green("Solved: every test passes and every probe holds. ") + "./kata solution "
                    + kata.slug() + " explains why the fix is right.");
        }
        mode.set(options.mode(now.entry(kata.slug()).hints, hintCount));
        done.incrementAndGet();
    }
}
