package dev.dojo.session;

import dev.dojo.report.Timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A session as a one-page retrospective: its timeline (what was tried, who drove, when the evidence
 * changed, which hypothesis was right) and a summary. Runs whose evidence did not change are folded
 * into one row. Which hypothesis was right is shown only once the bug was revealed.
 */
public final class Retro {
    /** Failing names listed in a row before the rest are counted. */
    private static final int NAMES = 2;

    private final Timeline timeline;

    private Retro(Timeline timeline) {
        this.timeline = timeline;
    }

    /**
     * The retro of {@code session} up to {@code now}. {@code right} is the hypothesis judged right (0 for
     * none; empty while the bug is not revealed, so nothing is marked), {@code why} says how it was judged,
     * and {@code bug} holds the revealed bug's lines (empty while it is hidden).
     */
    public static Retro of(Session session, String title, OptionalInt right, String why, List<String> bug,
                           Instant now) {
        List<Event> events = session.events();
        Instant start = session.started();
        List<Timeline.Entry> entries = new ArrayList<>();
        Map<String, Duration> keyboard = new LinkedHashMap<>();
        String driver = null;
        Instant since = start;
        List<String> before = null;
        int runs = 0;
        int changes = 0;
        int folded = 0;
        int foldFrom = 0;
        int foldRow = -1;
        int hints = 0;
        Instant end = null;
        String outcome = null;
        for (Event e : events) {
            if (driver != null && (e.is(Event.SWAP) || e.is(Event.START))) {
                keyboard.merge(driver, Duration.between(since, e.instant()), Duration::plus);
            }
            String time = clock(Duration.between(start, e.instant()));
            switch (e.kind()) {
                case Event.START -> {
                    driver = e.pair() == null ? null : e.pair().get(0);
                    since = e.instant();
                    entries.add(new Timeline.Entry(time, who(driver), started(e), ""));
                }
                case Event.SWAP -> {
                    driver = e.who();
                    since = e.instant();
                    entries.add(new Timeline.Entry(time, who(driver), "swap: " + driver + " drives now", ""));
                }
                case Event.GUESS -> {
                    boolean isRight = right.isPresent() && right.getAsInt() == e.number();
                    entries.add(new Timeline.Entry(time, who(e.who()), "hypothesis " + e.number() + ": “" + e.text()
                            + "”", isRight ? "right" : ""));
                }
                case Event.HINT -> {
                    hints = Math.max(hints, e.number());
                    entries.add(new Timeline.Entry(time, who(e.who()), "read hint " + e.number(), ""));
                }
                case Event.RUN -> {
                    runs++;
                    List<String> failing = e.failing() == null ? List.of() : e.failing();
                    if (before != null && before.equals(failing)) {
                        folded++;
                        if (foldRow == entries.size() - 1) {
                            Timeline.Entry row = entries.get(foldRow);
                            entries.set(foldRow, new Timeline.Entry(row.time(), row.who(), "runs " + foldFrom + "–" + runs
                                    + ": the same evidence", ""));
                        } else {
                            foldFrom = runs;
                            foldRow = entries.size();
                            entries.add(new Timeline.Entry(time, who(e.who()), "run " + runs + ": the same evidence", ""));
                        }
                    } else {
                        changes += before == null ? 0 : 1;
                        entries.add(new Timeline.Entry(time, who(e.who()), "run " + runs + ": " + evidence(e)
                                + change(before, failing), Boolean.TRUE.equals(e.solved()) ? "solved"
                                : before == null ? "" : "evidence changed"));
                    }
                    before = failing;
                    if (Boolean.TRUE.equals(e.solved()) && end == null) {
                        end = e.instant();
                        outcome = "solved in " + clock(Duration.between(start, end));
                    }
                }
                case Event.RIGHT -> entries.add(new Timeline.Entry(time, "", e.number() == 0
                        ? "the pair says no hypothesis was right" : "the pair says hypothesis " + e.number()
                        + " was right", ""));
                case Event.REVEALED -> {
                    entries.add(new Timeline.Entry(time, "", "gave up".equals(e.text()) ? "gave up: the bug revealed"
                            : "the bug revealed", ""));
                    if (end == null) {
                        end = e.instant();
                        outcome = "gave up".equals(e.text()) ? "gave up after " + clock(Duration.between(start, end))
                                : "solved in " + clock(Duration.between(start, end));
                    }
                }
                default -> entries.add(new Timeline.Entry(time, who(e.who()), e.kind(), ""));
            }
        }
        Instant stop = end != null ? end : now;
        if (driver != null && stop.isAfter(since)) {
            keyboard.merge(driver, Duration.between(since, stop), Duration::plus);
        }
        List<String> summary = new ArrayList<>();
        summary.add("Outcome: " + (outcome != null ? outcome : "open for " + clock(Duration.between(start, now))) + ".");
        summary.add("Runs: " + runs + (runs == 0 ? "" : "; the evidence changed " + changes + " time"
                + (changes == 1 ? "" : "s") + (folded == 0 ? "" : ", " + folded + " unchanged")) + ".");
        summary.add(hypotheses(session.guesses(), right, why, start));
        summary.add("Hints read: " + hints + ".");
        if (!keyboard.isEmpty()) {
            List<String> times = new ArrayList<>();
            keyboard.forEach((name, d) -> times.add(name + " " + clock(d)));
            summary.add("At the keyboard: " + String.join(", ", times) + ".");
        }
        summary.addAll(bug);
        return new Retro(new Timeline(title, entries, summary));
    }

    public Timeline timeline() {
        return timeline;
    }

    /** The one-page text: the title, the timeline's rows, then the summary. */
    public String text() {
        StringBuilder s = new StringBuilder(timeline.title()).append("\n\n");
        int whoWidth = 0;
        int whatWidth = 0;
        for (Timeline.Entry e : timeline.entries()) {
            whoWidth = Math.max(whoWidth, e.who().length());
            whatWidth = Math.max(whatWidth, Math.min(e.what().length(), 72));
        }
        for (Timeline.Entry e : timeline.entries()) {
            String what = e.mark().isEmpty() ? e.what() : pad(e.what(), whatWidth) + "  ← " + e.mark();
            String who = whoWidth == 0 ? "" : String.format(Locale.ROOT, "%-" + whoWidth + "s  ", e.who());
            s.append(String.format(Locale.ROOT, "  %5s  %s%s%n", e.time(), who, what));
        }
        s.append('\n');
        for (String line : timeline.summary()) {
            s.append(line).append('\n');
        }
        return s.toString();
    }

    /** m:ss, or h:mm:ss from an hour on. */
    public static String clock(Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    private static String hypotheses(List<Event> guesses, OptionalInt right, String why, Instant start) {
        String line = "Hypotheses: " + guesses.size();
        if (right.isEmpty()) {
            return line + (guesses.isEmpty() ? "." : "; which was right is shown once the bug is revealed.");
        }
        if (right.getAsInt() == 0 || right.getAsInt() > guesses.size()) {
            return line + "; none was right" + (why.isEmpty() ? "" : " (" + why + ")") + ".";
        }
        Event e = guesses.get(right.getAsInt() - 1);
        return line + "; the first right one: " + e.number() + ", " + clock(Duration.between(start, e.instant()))
                + " after the start" + (why.isEmpty() ? "" : " (" + why + ")") + ".";
    }

    private static String started(Event e) {
        if (e.pair() == null || e.pair().isEmpty()) {
            return "started " + e.text();
        }
        String roles = e.pair().size() == 1 ? e.pair().get(0) + " drives"
                : e.pair().get(0) + " drives, " + e.pair().get(1) + " navigates";
        return "started " + e.text() + ": " + roles + (e.swapSeconds() == null ? ""
                : ", swap every " + clock(Duration.ofSeconds(e.swapSeconds())));
    }

    private static String evidence(Event e) {
        List<String> failing = e.failing() == null ? List.of() : e.failing();
        if (failing.contains("does not compile")) {
            return "does not compile";
        }
        if (Boolean.TRUE.equals(e.solved())) {
            return "every test passes and every probe holds";
        }
        long probes = failing.stream().filter(f -> f.endsWith(" ✗")).count();
        int tests = e.passed() + e.failed();
        String s = e.failed() == 0 ? "tests pass" : e.failed() + " of " + tests + " tests fail";
        return probes == 0 ? s : s + ", " + probes + (probes == 1 ? " probe fails" : " probes fail");
    }

    private static String change(List<String> before, List<String> now) {
        if (before == null) {
            return "";
        }
        Set<String> fixed = new LinkedHashSet<>(before);
        fixed.removeAll(now);
        Set<String> broke = new LinkedHashSet<>(now);
        broke.removeAll(before);
        List<String> parts = new ArrayList<>();
        add(parts, "now passes: ", tests(fixed, false));
        add(parts, "now holds: ", tests(fixed, true));
        add(parts, "now fails: ", tests(broke, false));
        add(parts, "now breaks: ", tests(broke, true));
        return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
    }

    /** The tests among {@code names}, or with {@code probes} the probes (logged as "name ✗"), by name. */
    private static Set<String> tests(Set<String> names, boolean probes) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String n : names) {
            if (n.endsWith(" ✗") == probes) {
                chosen.add(probes ? n.substring(0, n.length() - 2) : n);
            }
        }
        return chosen;
    }

    private static void add(List<String> parts, String label, Set<String> names) {
        if (!names.isEmpty()) {
            parts.add(label + names(names));
        }
    }

    private static String names(Set<String> names) {
        List<String> shown = new ArrayList<>();
        for (String n : names) {
            if (shown.size() == NAMES) {
                break;
            }
            shown.add(n);
        }
        return String.join(", ", shown) + (names.size() > NAMES ? " and " + (names.size() - NAMES) + " more" : "");
    }

    private static String who(String name) {
        return name == null ? "" : name;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
