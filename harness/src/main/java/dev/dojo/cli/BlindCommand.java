package dev.dojo.cli;

import dev.dojo.drills.Drill;
import dev.dojo.drills.DrillBrief;
import dev.dojo.drills.DrillWorkspace;
import dev.dojo.drills.Drills;
import dev.dojo.session.Session;
import dev.dojo.variants.Variant;
import dev.dojo.worker.Limits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "blind", description = "Draw a drill: a known bug, unnamed, planted in a reference part of a drawn"
        + " model. Shows the evidence only. The same --seed draws the same drill.")
final class BlindCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Option(names = "--topic", paramLabel = "T", description = "the part: attention, rope, norm or block")
    String topic;

    @Option(names = "--difficulty", paramLabel = "N", description = "only bugs of N stars (1 to 5)")
    Integer difficulty;

    @Option(names = "--seed", paramLabel = "S", description = "draw with seed S (another pair's seed gives their drill)")
    Long seed;

    @Option(names = "--weakest", description = "draw from the bug classes you have found slowest so far")
    boolean weakest;

    @Option(names = "--pair", paramLabel = "NAME,NAME", description = "who drives and who navigates, driver first")
    String pair;

    @Option(names = "--swap", paramLabel = "TIME", description = "swap roles every TIME, e.g. 7m (default: 7m)")
    String swap;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "seconds each test may run (default: ${DEFAULT-VALUE})")
    long timeoutSeconds = Limits.TEST_TIMEOUT.toSeconds();

    @Override
    public Integer call() {
        Terminal t = dojo.terminal;
        Workspace workspace = dojo.workspace;
        List<String> names = Pairing.pair(pair);
        Duration every = Pairing.swap(swap, names);
        Set<String> families = null;
        if (weakest) {
            families = DrillProgress.of(workspace).weakest();
            if (families.isEmpty()) {
                t.err().println("dojo: no drill finished yet, so none is weakest: drawing from every bug class");
                families = null;
            }
        }
        List<Variant> candidates;
        try {
            candidates = Drills.candidates(topic, difficulty, families);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (candidates.isEmpty()) {
            throw new UserError("no known bug fits " + options(null) + ": try fewer options");
        }
        long drawSeed = seed != null ? seed : 1 + new SecureRandom().nextInt(999_999);
        if (drawSeed < 0) {
            throw new UserError("--seed must be a whole number from 0 up, not " + drawSeed);
        }
        Drill drill = Drill.draw(drawSeed, candidates);
        Instant now = Instant.now();
        boolean known = DrillWorkspace.ids(Drilling.drills(workspace)).contains(drill.id());
        DrillWorkspace drawn = DrillWorkspace.create(Drilling.drills(workspace), drill, options(drawSeed), now);
        Drilling.makeCurrent(workspace, drill.id());
        Session session = Session.named(Pairing.sessions(workspace), "drill-" + drill.id())
                .filter(s -> names.isEmpty())
                .orElseGet(() -> Session.start(Pairing.sessions(workspace), "drill-" + drill.id(),
                        Drilling.target(drill), names, every, known ? now : drawn.drawn()));
        session.makeCurrent();

        t.out().println(t.bold("Drill " + drill.id()) + "  " + ListCommand.stars(drill.difficulty()) + "  seed "
                + drill.seed() + (known ? t.dim("  (drawn before: your workspace and its edits are kept)") : ""));
        t.out().println(DrillBrief.what(drill));
        t.out().println(DrillBrief.model(drill));
        Pairing.roles(session).ifPresent(line -> t.out().println(t.cyan(line)));
        t.out().println();
        Drilling.run(dojo.workers, drawn, session, t, RunOptions.timeout(timeoutSeconds), null);
        t.out().println();
        t.out().println(t.bold("Open:"));
        t.out().println("  " + workspace.root().relativize(drawn.source()) + "     the part, the file to fix");
        t.out().println("  " + workspace.root().relativize(drawn.tests()) + "     its tests");
        t.out().println(t.bold("Run:"));
        t.out().println("  ./kata drill watch        reruns the tests and probes on every save");
        t.out().println("  ./kata guess \"...\"        records a hypothesis, with its time");
        t.out().println("  ./kata drill hint         when stuck (" + Drilling.HINTS + " hints)");
        t.out().println("  ./kata giveup             reveals the bug");
        t.out().println(t.dim("Another pair draws this drill with ./kata blind " + options(drawSeed)
                + (weakest ? " (--weakest depends on your history: share the seed with --topic instead)" : "")));
        return 0;
    }

    private String options(Long drawSeed) {
        StringBuilder s = new StringBuilder();
        if (drawSeed != null) {
            s.append("--seed ").append(drawSeed);
        }
        if (topic != null) {
            s.append(" --topic ").append(topic);
        }
        if (difficulty != null) {
            s.append(" --difficulty ").append(difficulty);
        }
        if (weakest) {
            s.append(" --weakest");
        }
        return s.toString().strip();
    }
}
