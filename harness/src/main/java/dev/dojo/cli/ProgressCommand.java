package dev.dojo.cli;

import dev.dojo.kata.Kata;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "progress", description = "What you solved, hints used and time per kata.")
final class ProgressCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Override
    public Integer call() {
        Terminal t = dojo.terminal;
        Progress progress = dojo.workspace.progress();
        int solved = 0;
        String format = "%-22s  %-18s  %5s  %5s%n";
        t.out().printf(Locale.ROOT, format, "kata", "status", "hints", "runs");
        for (Kata kata : dojo.workspace.katas()) {
            Progress.Entry e = progress.entries().get(kata.slug());
            t.out().printf(Locale.ROOT, format, kata.slug(), ListCommand.status(e), e == null ? 0 : e.hints,
                    e == null ? 0 : e.runs);
            solved += e != null && e.solved != null ? 1 : 0;
        }
        t.out().println(solved + " of " + dojo.workspace.katas().size() + " solved");
        DrillProgress.of(dojo.workspace).print(t, false);
        return 0;
    }
}
