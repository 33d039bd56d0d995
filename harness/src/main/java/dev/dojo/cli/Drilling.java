package dev.dojo.cli;

import dev.dojo.diagnosis.Mode;
import dev.dojo.drills.Drill;
import dev.dojo.drills.DrillWorkspace;
import dev.dojo.drills.Planted;
import dev.dojo.probes.Probe;
import dev.dojo.probes.Probes;
import dev.dojo.session.Event;
import dev.dojo.session.Retro;
import dev.dojo.session.Session;
import dev.dojo.variants.Signatures;
import dev.dojo.worker.Request;
import dev.dojo.worker.Verdict;
import dev.dojo.worker.Workers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the drill commands share: the current drill, its session, a run with its verdict logged and,
 * once solved, the reveal; the hints; and which hypothesis was right.
 */
final class Drilling {
    /** Hints a drill has: the broken property, the bug classes that fit, the step. */
    static final int HINTS = 3;
    /** From this hint on, a drill's runs name the bug classes the evidence fits. */
    static final int COACH_FROM = 2;

    private Drilling() {}

    static Path drills(Workspace workspace) {
        return workspace.dojo().resolve("drills");
    }

    /** The drill named {@code id}, or the current one (the last drawn) when {@code id} is null. */
    static DrillWorkspace drill(Workspace workspace, String id) {
        String chosen = id;
        if (chosen == null) {
            Path current = drills(workspace).resolve("current");
            try {
                chosen = Files.isRegularFile(current) ? Files.readString(current).strip() : null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + current, e);
            }
            if (chosen == null) {
                throw new UserError("no drill yet: ./kata blind draws one");
            }
        }
        try {
            return DrillWorkspace.open(drills(workspace), chosen);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage() + (id == null ? "" : ". Your drills: "
                    + String.join(", ", DrillWorkspace.ids(drills(workspace)))));
        }
    }

    static void makeCurrent(Workspace workspace, String id) {
        Path current = drills(workspace).resolve("current");
        try {
            Files.createDirectories(current.getParent());
            Files.writeString(current, id + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + current, e);
        }
    }

    static String target(Drill drill) {
        return "drill " + drill.id();
    }

    /** The drill's session, opened at its draw if it has none yet; it becomes the current session. */
    static Session session(Workspace workspace, DrillWorkspace drill) {
        Optional<Session> found = Session.named(Pairing.sessions(workspace), "drill-" + drill.drill().id());
        if (found.isPresent()) {
            found.get().makeCurrent();
            return found.get();
        }
        return Session.start(Pairing.sessions(workspace), "drill-" + drill.drill().id(), target(drill.drill()),
                List.of(), null, drill.drawn());
    }

    /**
     * Runs the drill's tests and probes in a worker of {@code workers}, printing each outcome and the
     * verdict (or why the run stopped), logs the run, and reveals the bug on the first solved run.
     * Evidence only, until the pair has read hint 2.
     */
    static Verdict run(Workers workers, DrillWorkspace drill, Session session, Terminal terminal, Duration timeout,
                       Long seed) {
        Mode mode = session.hints() >= COACH_FROM ? Mode.COACH : Mode.EVIDENCE;
        OutcomePrinter printer = new OutcomePrinter(terminal, timeout, "part");
        Verdict verdict = workers.drill(new Request.Drill(drill.folder().toString(), timeout.toMillis(), mode.property(),
                seed), printer::print, terminal.err()::println);
        terminal.out().println();
        printer.summary(verdict);
        session.ran(verdict.passed(), verdict.failed(), verdict.failing(), verdict.solved(), Instant.now());
        if (verdict.solved() && session.revelation().isEmpty()) {
            reveal(drill, session, terminal, "solved");
        }
        return verdict;
    }

    /** Names the bug, its class and its step, shows the fix and the hypotheses, and logs the reveal once. */
    static void reveal(DrillWorkspace workspace, Session session, Terminal t, String how) {
        Drill drill = workspace.drill();
        Planted planted = drill.planted();
        Instant now = Instant.now();
        if (session.revelation().isEmpty()) {
            session.revealed(how, now);
        }
        Instant start = session.started();
        t.out().println();
        Optional<Event> solved = session.firstSolved();
        if (how.equals("solved") && solved.isPresent()) {
            t.out().println(t.green("Solved in " + Retro.clock(Duration.between(start, solved.get().instant()))
                    + ": every test passes and every probe holds."));
        } else if (how.equals("gave up")) {
            t.out().println(t.yellow("Given up after " + Retro.clock(Duration.between(start, now)) + ". Here is the bug."));
        }
        t.out().println(t.bold("The bug: ") + drill.variant().bug() + ".");
        t.out().println(t.bold("Its class: ") + drill.variant().family() + "  (" + drill.variant().name() + ")");
        t.out().println(t.bold("The step: ") + planted.where() + ", " + planted.lines());
        t.out().println(t.bold("The fix,") + " the reference's step put back (- as drawn, + the reference):");
        for (String line : planted.fix()) {
            t.out().println("  " + (line.startsWith("-") ? t.red(line) : t.green(line)));
        }
        List<Event> guesses = session.guesses();
        Right right = right(session, drill);
        if (guesses.isEmpty()) {
            t.out().println("No hypothesis was recorded (./kata guess \"...\" records one, with its time).");
        } else {
            t.out().println(t.bold("Hypotheses:"));
            for (Event g : guesses) {
                boolean isRight = right.number() == g.number();
                t.out().println(String.format(Locale.ROOT, "  %d. %6s  %s“%s”%s", g.number(),
                        Retro.clock(Duration.between(start, g.instant())), g.who() == null ? "" : g.who() + ": ",
                        g.text(), isRight ? t.green("  ← right (" + right.why() + ")") : ""));
            }
            if (right.number() > 0) {
                Event g = guesses.get(right.number() - 1);
                t.out().println("Time to the first right hypothesis: "
                        + Retro.clock(Duration.between(start, g.instant())) + ".");
            } else {
                t.out().println("No hypothesis names the step '" + drill.step() + "'.");
            }
            t.out().println(t.dim("Not how you see it? ./kata guess --right N says which was right (0: none)."));
        }
        t.out().println(t.dim("./kata retro prints the session's timeline and writes it into the drill's report."));
    }

    /** Which hypothesis was right, and how that was judged: the pair's say, else the first that names the step. */
    record Right(int number, String why) {}

    static Right right(Session session, Drill drill) {
        OptionalInt said = session.saidRight();
        if (said.isPresent()) {
            return new Right(said.getAsInt(), "the pair's say");
        }
        String step = drill.step().toLowerCase(Locale.ROOT);
        for (Event g : session.guesses()) {
            if (g.text().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "").contains(step)) {
                return new Right(g.number(), "it names the step '" + drill.step() + "'");
            }
        }
        return new Right(0, "none names the step '" + drill.step() + "'");
    }

    /** Hint {@code n} of a drill: 1 the property its bug breaks, 2 the bug classes that fit, 3 the step. */
    static String hint(Drill drill, int n) {
        Set<String> breaks = Signatures.declared(drill.variant().name());
        return switch (n) {
            case 1 -> {
                List<String> properties = new ArrayList<>();
                for (Probe probe : Probes.all()) {
                    if (breaks.contains(probe.name())) {
                        properties.add(probe.name() + ": " + probe.property());
                    }
                }
                yield "The bug breaks " + (properties.size() == 1 ? "this property" : "these properties")
                        + " that every correct implementation has:\n" + String.join("\n", properties.stream()
                        .map(p -> "  - " + p).toList()) + "\nWhich inputs would show it? Which tests use them?";
            }
            case 2 -> {
                Set<String> holds = new java.util.LinkedHashSet<>();
                Probes.all().forEach(p -> holds.add(p.name()));
                holds.removeAll(breaks);
                List<String> families = Signatures.table(drill.variant().kit().withConfig(drill.config().model()))
                        .match(breaks, holds).families();
                yield "Bug classes whose signature fits the probes it breaks: " + String.join("; ", families)
                        + ".\nFrom now on the drill's runs also name the bug classes the evidence fits.";
            }
            default -> "The bug is in one method: " + drill.planted().where() + " (" + drill.planted().lines() + ").";
        };
    }
}
