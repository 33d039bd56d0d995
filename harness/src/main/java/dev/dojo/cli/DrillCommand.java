package dev.dojo.cli;

import dev.dojo.drills.DrillBrief;
import dev.dojo.drills.DrillWorkspace;
import dev.dojo.session.Retro;
import dev.dojo.session.Session;
import dev.dojo.worker.Limits;
import dev.dojo.worker.Verdict;
import dev.dojo.worker.Workers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

@Command(name = "drill", description = "The current drill (the last ./kata blind drew): run it, watch it, read a hint,"
        + " list your drills.", subcommands = {DrillCommand.Test.class, DrillCommand.Watch.class,
        DrillCommand.Hint.class, DrillCommand.List.class})
final class DrillCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Option(names = "--id", paramLabel = "ID", description = "another drill than the current one")
    String id;

    /** Without a subcommand: what the current drill is, where its files are, and how it stands. */
    @Override
    public Integer call() {
        Terminal t = dojo.terminal;
        DrillWorkspace drill = Drilling.drill(dojo.workspace, id);
        Session session = Drilling.session(dojo.workspace, drill);
        t.out().println(t.bold("Drill " + drill.drill().id()) + "  " + ListCommand.stars(drill.drill().difficulty())
                + "  drawn with ./kata blind " + drill.options());
        t.out().println(DrillBrief.what(drill.drill()));
        t.out().println(DrillBrief.model(drill.drill()));
        Pairing.roles(session).ifPresent(line -> t.out().println(t.cyan(line)));
        t.out().println("  " + dojo.workspace.root().relativize(drill.source()));
        t.out().println("  " + dojo.workspace.root().relativize(drill.tests()));
        String state = session.revelation().map(e -> "revealed (" + e.text() + ")")
                .orElse("open for " + Retro.clock(Duration.between(session.started(), Instant.now())));
        int guesses = session.guesses().size();
        t.out().println(state + "; " + guesses + (guesses == 1 ? " hypothesis, " : " hypotheses, ") + session.hints()
                + " of " + Drilling.HINTS + " hints read");
        return 0;
    }

    DrillWorkspace drill() {
        return Drilling.drill(dojo.workspace, id);
    }

    @Command(name = "test", description = "Run the drill's tests and probes once. Exit 0 only when solved.")
    static final class Test implements Callable<Integer> {
        @ParentCommand
        DrillCommand parent;

        @Option(names = "--seed", paramLabel = "N", description = "rerun the tests at seed N (a failure prints its seed)")
        Long seed;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "seconds each test may run (default: ${DEFAULT-VALUE})")
        long timeoutSeconds = Limits.TEST_TIMEOUT.toSeconds();

        @Override
        public Integer call() {
            Terminal t = parent.dojo.terminal;
            DrillWorkspace drill = parent.drill();
            Session session = Drilling.session(parent.dojo.workspace, drill);
            Pairing.promptSwaps(session, t, Instant.now());
            t.out().println(t.bold("Drill " + drill.drill().id()));
            t.out().println();
            Verdict verdict = Drilling.run(parent.dojo.workers, drill, session, t, RunOptions.timeout(timeoutSeconds), seed);
            if (!verdict.solved() && session.revelation().isEmpty()) {
                t.out().println(t.dim("Stuck? ./kata drill hint"));
            }
            return verdict.solved() ? 0 : 1;
        }
    }

    @Command(name = "watch", description = "Rerun the drill's tests and probes on every save, from a warm worker."
            + " Ctrl-C stops.")
    static final class Watch implements Callable<Integer> {
        @ParentCommand
        DrillCommand parent;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "seconds each test may run (default: ${DEFAULT-VALUE})")
        long timeoutSeconds = Limits.TEST_TIMEOUT.toSeconds();

        @Option(names = "--runs", hidden = true, description = "stop after this many runs (for tests)")
        int runs = -1;

        @Override
        public Integer call() throws InterruptedException {
            Terminal t = parent.dojo.terminal;
            DrillWorkspace drill = parent.drill();
            Session session = Drilling.session(parent.dojo.workspace, drill);
            Duration timeout = RunOptions.timeout(timeoutSeconds);
            Path sources = drill.folder().resolve("src");
            t.out().println(t.bold("Drill " + drill.drill().id()) + t.dim("  (watching "
                    + parent.dojo.workspace.root().relativize(sources) + "; Ctrl-C stops)"));
            AtomicInteger done = new AtomicInteger();
            try (Pairing.Clock clock = Pairing.watching(parent.dojo.workspace, Drilling.target(drill.drill()), t);
                 Workers workers = Workers.warm()) {
                new Watcher(java.util.List.of(sources), workers, w -> Drilling.run(w, drill, session, t, timeout, null))
                        .watch(() -> runs >= 0 && done.get() >= runs, run -> {
                            String timing = run.saveToVerdict().isZero() ? ""
                                    : "  verdict " + run.saveToVerdict().toMillis() + " ms after save";
                            String driver = session.driver() == null ? "" : "  " + session.driver() + " drives";
                            t.out().println(t.dim("── " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + timing
                                    + driver + " ── waiting for a save"));
                            done.incrementAndGet();
                        });
            }
            return 0;
        }
    }

    @Command(name = "hint", description = "The drill's next hint (or hint n): the property, the bug classes, the step.")
    static final class Hint implements Callable<Integer> {
        @ParentCommand
        DrillCommand parent;

        @Parameters(arity = "0..1", paramLabel = "n", description = "which hint (default: the next one)")
        Integer number;

        @Override
        public Integer call() {
            Terminal t = parent.dojo.terminal;
            DrillWorkspace drill = parent.drill();
            Session session = Drilling.session(parent.dojo.workspace, drill);
            int shown = session.hints();
            int n = number != null ? number : Math.min(shown + 1, Drilling.HINTS);
            if (n < 1 || n > Drilling.HINTS) {
                throw new UserError("a drill has hints 1 to " + Drilling.HINTS + ", not " + n);
            }
            t.out().println(t.bold("Hint " + n + " of " + Drilling.HINTS));
            t.out().println(Drilling.hint(drill.drill(), n));
            if (n > shown) {
                session.hint(n, Instant.now());
            }
            if (number == null && shown >= Drilling.HINTS) {
                t.out().println(t.dim("(that was the last hint; ./kata giveup reveals the bug)"));
            }
            return 0;
        }
    }

    @Command(name = "list", description = "Your drills, and the bug classes you have met, solved and found slowest.")
    static final class List implements Callable<Integer> {
        @ParentCommand
        DrillCommand parent;

        @Override
        public Integer call() {
            DrillProgress.of(parent.dojo.workspace).print(parent.dojo.terminal, true);
            return 0;
        }
    }
}
