package dev.dojo.cli;

import dev.dojo.diagnosis.Mode;
import dev.dojo.kata.Kata;
import dev.dojo.worker.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "test", description = "Run a kata's tests and probes and show where it diverges. Exit 0 only when solved.")
final class TestCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Parameters(paramLabel = "<slug>", description = "the kata, as ./kata list names it")
    String slug;

    @Mixin
    RunOptions options;

    @Override
    public Integer call() {
        Kata kata = dojo.kata(slug);
        Terminal t = dojo.terminal;
        Duration timeout = options.timeout();
        Progress progress = dojo.workspace.progress();
        Mode mode = options.mode(progress.entry(kata.slug()).hints, Briefing.read(kata).hints().size());
        t.out().println(t.bold(kata.slug()) + (options.interview ? "" : ": " + kata.title()));
        if (options.interview) {
            t.out().println(t.dim(ListCommand.timer(progress, kata, Instant.now())));
        }
        t.out().println();
        OutcomePrinter printer = new OutcomePrinter(t, timeout);
        Verdict verdict = dojo.workers.test(options.request(kata, mode), printer::print, t.err()::println);
        t.out().println();
        printer.summary(verdict);
        if (verdict.compiled()) {
            progress.ran(kata.slug(), verdict.solved(), Instant.now());
        }
        Pairing.ranKata(dojo.workspace, kata.slug(), verdict);
        if (verdict.solved()) {
            if (options.interview) {
                t.out().println(t.dim(ListCommand.timer(progress, kata, Instant.now())));
            }
        } else if (!options.interview) {
            t.out().println(t.dim("Stuck? ./kata hint " + kata.slug()));
        }
        return verdict.solved() ? 0 : 1;
    }
}
