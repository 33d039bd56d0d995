package dev.dojo.cli;

import dev.dojo.drills.DrillWorkspace;
import dev.dojo.session.Event;
import dev.dojo.session.Retro;
import dev.dojo.session.Session;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the pair's drills say, read from the drills and their session logs: each drill's state, and
 * per bug class (only of drills already revealed, so nothing open is spoiled) how often it was met,
 * solved or given up, the median time to the first right hypothesis, the hints used, and which
 * classes the pair finds slowest, the ones {@code ./kata blind --weakest} draws from.
 */
final class DrillProgress {
    /** How many of the slowest bug classes --weakest draws from. */
    static final int WEAKEST = 3;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    /** One drill: {@code family} is null while it is open; durations are null when they did not happen. */
    record Row(String id, Instant drawn, String status, Duration time, String family, Duration toHypothesis,
               Duration toSolve, int guesses, int hints) {
        boolean revealed() {
            return family != null;
        }

        boolean gaveUp() {
            return status.equals("gave up");
        }

        /** How long the pair took to find the bug: to the right hypothesis, else to the fix; forever if given up. */
        Duration toFind() {
            return gaveUp() ? null : toHypothesis != null ? toHypothesis : toSolve;
        }
    }

    /** One bug class over the revealed drills. */
    record ClassRow(String family, int met, int solved, int gaveUp, Duration medianToHypothesis, int hints,
                    Duration medianToFind) {}

    private final List<Row> rows;

    private DrillProgress(List<Row> rows) {
        this.rows = rows;
    }

    static DrillProgress of(Workspace workspace) {
        List<Row> rows = new ArrayList<>();
        Instant now = Instant.now();
        for (String id : DrillWorkspace.ids(Drilling.drills(workspace))) {
            DrillWorkspace drill = DrillWorkspace.open(Drilling.drills(workspace), id);
            Optional<Session> found = Session.named(Pairing.sessions(workspace), "drill-" + id);
            if (found.isEmpty()) {
                rows.add(new Row(id, drill.drawn(), "open", Duration.between(drill.drawn(), now), null, null, null, 0, 0));
                continue;
            }
            Session session = found.get();
            Instant start = session.started();
            Optional<Event> revealed = session.revelation();
            Optional<Event> solved = session.firstSolved();
            Duration toSolve = solved.map(e -> Duration.between(start, e.instant())).orElse(null);
            if (revealed.isEmpty()) {
                rows.add(new Row(id, drill.drawn(), "open", Duration.between(start, now), null, null, null,
                        session.guesses().size(), session.hints()));
                continue;
            }
            boolean gaveUp = revealed.get().text().equals("gave up");
            Drilling.Right right = Drilling.right(session, drill.drill());
            Duration toHypothesis = right.number() == 0 ? null
                    : Duration.between(start, session.guesses().get(right.number() - 1).instant());
            rows.add(new Row(id, drill.drawn(), gaveUp ? "gave up" : "solved",
                    Duration.between(start, revealed.get().instant()), drill.drill().variant().family(), toHypothesis,
                    gaveUp ? null : toSolve, session.guesses().size(), session.hints()));
        }
        return new DrillProgress(rows);
    }

    List<Row> rows() {
        return rows;
    }

    /** Per bug class, slowest first: given up most often, then the longest median time to find. */
    List<ClassRow> classes() {
        Map<String, List<Row>> byFamily = new LinkedHashMap<>();
        rows.stream().filter(Row::revealed).forEach(r -> byFamily.computeIfAbsent(r.family(), f -> new ArrayList<>()).add(r));
        List<ClassRow> classes = new ArrayList<>();
        byFamily.forEach((family, list) -> classes.add(new ClassRow(family, list.size(),
                (int) list.stream().filter(r -> !r.gaveUp()).count(), (int) list.stream().filter(Row::gaveUp).count(),
                median(list.stream().map(Row::toHypothesis).toList()), list.stream().mapToInt(Row::hints).sum(),
                median(list.stream().map(Row::toFind).toList()))));
        classes.sort(Comparator.comparingDouble((ClassRow c) -> -(double) c.gaveUp() / c.met())
                .thenComparing(c -> c.medianToFind() == null ? Duration.ZERO : c.medianToFind(),
                        Comparator.reverseOrder()));
        return classes;
    }

    /** The bug classes the pair finds slowest, at most {@value #WEAKEST}; none before a drill is revealed. */
    Set<String> weakest() {
        Set<String> weakest = new LinkedHashSet<>();
        for (ClassRow c : classes()) {
            if (weakest.size() < WEAKEST) {
                weakest.add(c.family());
            }
        }
        return weakest;
    }

    /** Prints the classes and the slowest; with {@code drills}, each drill first. Nothing for no drills. */
    void print(Terminal t, boolean drills) {
        if (rows.isEmpty()) {
            if (drills) {
                t.out().println("No drills yet: ./kata blind draws one.");
            }
            return;
        }
        if (drills) {
            String format = "%-7s %-17s %-8s %7s  %-12s %5s  %s%n";
            t.out().printf(Locale.ROOT, format, "drill", "drawn", "status", "time", "hypotheses", "hints", "bug class");
            for (Row r : rows) {
                String hypotheses = r.guesses() + (r.toHypothesis() == null ? "" : " (" + Retro.clock(r.toHypothesis()) + ")");
                t.out().printf(Locale.ROOT, format, r.id(), WHEN.format(r.drawn()), r.status(), Retro.clock(r.time()),
                        hypotheses, r.hints(), r.revealed() ? r.family() : t.dim("(hidden until solved or given up)"));
            }
            t.out().println();
        }
        long solved = rows.stream().filter(r -> r.status().equals("solved")).count();
        long gaveUp = rows.stream().filter(Row::gaveUp).count();
        t.out().println(t.bold("Drills: ") + rows.size() + " drawn, " + solved + " solved, " + gaveUp + " given up, "
                + (rows.size() - solved - gaveUp) + " open; median time to the right hypothesis "
                + clock(median(rows.stream().map(Row::toHypothesis).toList())) + ".");
        List<ClassRow> classes = classes();
        if (classes.isEmpty()) {
            return;
        }
        String format = "  %-34s %4s %7s %8s %21s %6s%n";
        t.out().printf(Locale.ROOT, format, "bug class", "met", "solved", "gave up", "median to hypothesis", "hints");
        for (ClassRow c : classes) {
            t.out().printf(Locale.ROOT, format, c.family(), c.met(), c.solved(), c.gaveUp(),
                    clock(c.medianToHypothesis()), c.hints());
        }
        List<String> slowest = new ArrayList<>();
        for (ClassRow c : classes.subList(0, Math.min(WEAKEST, classes.size()))) {
            slowest.add(c.family() + " (" + (c.gaveUp() > 0 ? "gave up " + c.gaveUp() + " of " + c.met()
                    : clock(c.medianToFind()) + " to find") + ")");
        }
        t.out().println("Slowest: " + String.join(", ", slowest) + ". ./kata blind --weakest draws from these.");
    }

    private static String clock(Duration d) {
        return d == null ? "–" : Retro.clock(d);
    }

    /** The median of the durations that are not null; null when there are none. */
    static Duration median(List<Duration> durations) {
        List<Duration> known = durations.stream().filter(d -> d != null).sorted().toList();
        if (known.isEmpty()) {
            return null;
        }
        int n = known.size();
        return n % 2 == 1 ? known.get(n / 2) : known.get(n / 2 - 1).plus(known.get(n / 2)).dividedBy(2);
    }
}
