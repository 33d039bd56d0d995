package dev.dojo.session;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A pair's session on one drill or kata, as an append-only log, {@code .dojo/sessions/<id>.jsonl}:
 * who drives, the swaps, the hypotheses, the hints and the test runs, each with its time. Each event
 * is one line appended whole, so a watch and a guess typed in another terminal can both write; a
 * line cut short by a crash is skipped when read. {@code .dojo/sessions/current} names the session
 * that {@code guess}, {@code giveup} and {@code retro} work on.
 */
public final class Session {
    private static final Gson GSON = new Gson();

    private final Path file;
    private final String id;

    private Session(Path file, String id) {
        this.file = file;
        this.id = id;
    }

    /**
     * Opens session {@code id} under {@code sessions}, recording its start (its target, the pair,
     * driver first, and the swap interval), and makes it the current session. An existing session
     * of that id is continued: a new start with a pair names new roles from then on.
     */
    public static Session start(Path sessions, String id, String target, List<String> pair, Duration swap,
                                Instant now) {
        Session session = new Session(sessions.resolve(id + ".jsonl"), id);
        if (!Files.exists(session.file) || !pair.isEmpty()) {
            session.append(Event.start(now, target, pair, pair.isEmpty() ? null : swap));
        }
        session.makeCurrent();
        return session;
    }

    /** The session named in {@code sessions/current}, if there is one and its log exists. */
    public static Optional<Session> current(Path sessions) {
        Path pointer = sessions.resolve("current");
        try {
            if (!Files.isRegularFile(pointer)) {
                return Optional.empty();
            }
            return named(sessions, Files.readString(pointer).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pointer, e);
        }
    }

    /** Session {@code id}, if its log exists. */
    public static Optional<Session> named(Path sessions, String id) {
        if (!id.matches("[A-Za-z0-9._-]+")) {
            return Optional.empty();
        }
        Path file = sessions.resolve(id + ".jsonl");
        return Files.isRegularFile(file) ? Optional.of(new Session(file, id)) : Optional.empty();
    }

    public String id() {
        return id;
    }

    /** What the session works on: "drill 3f9a1c" or "kata prenorm-block", as its first start said. */
    public String target() {
        return firstStart().text();
    }

    /** When it started. */
    public Instant started() {
        return firstStart().instant();
    }

    /** Every event so far, in order. */
    public List<Event> events() {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Event> events = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    Event e = line.isBlank() ? null : GSON.fromJson(line, Event.class);
                    if (e != null && e.at() != null && e.kind() != null) {
                        events.add(e);
                    }
                } catch (JsonParseException e) {
                    // a line cut short by a crash: the rest of the log still reads
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return events;
    }

    /** The pair, driver first at the latest start; empty when solo. */
    public List<String> pair() {
        Event start = lastStart();
        return start.pair() == null ? List.of() : start.pair();
    }

    /** The swap interval of the latest start, if the pair swaps. */
    public Optional<Duration> swap() {
        Event start = lastStart();
        return start.swapSeconds() == null || start.pair() == null || start.pair().size() < 2 ? Optional.empty()
                : Optional.of(Duration.ofSeconds(start.swapSeconds()));
    }

    /** Who drives now (after the swaps logged so far), or null when solo. */
    public String driver() {
        return driver(events());
    }

    /** Who navigates now, or null when solo. */
    public String navigator() {
        List<String> pair = pair();
        if (pair.size() < 2) {
            return null;
        }
        return pair.get((pair.indexOf(driver()) + 1) % pair.size());
    }

    /**
     * Logs a swap for each interval that has ended since the latest start or swap, each at the time it
     * fell due, and returns them: the new driver of each. None for a solo session or one without swaps.
     */
    public synchronized List<Event> dueSwaps(Instant now) {
        Optional<Duration> every = swap();
        if (every.isEmpty()) {
            return List.of();
        }
        List<Event> events = events();
        Instant last = lastStart().instant();
        for (Event e : events) {
            if (e.is(Event.SWAP) && e.instant().isAfter(last)) {
                last = e.instant();
            }
        }
        List<Event> due = new ArrayList<>();
        List<String> pair = pair();
        String driver = driver(events);
        while (!last.plus(every.get()).isAfter(now)) {
            last = last.plus(every.get());
            driver = pair.get((pair.indexOf(driver) + 1) % pair.size());
            Event swap = Event.swap(last, driver);
            append(swap);
            due.add(swap);
        }
        return due;
    }

    /** Records a hypothesis; returns its number, from 1. */
    public synchronized int guess(String hypothesis, Instant now) {
        int number = guesses().size() + 1;
        append(Event.guess(now, driver(), number, hypothesis));
        return number;
    }

    /** The hypotheses so far, in order. */
    public List<Event> guesses() {
        return events().stream().filter(e -> e.is(Event.GUESS)).toList();
    }

    public void hint(int number, Instant now) {
        append(Event.hint(now, driver(), number));
    }

    /** The highest hint read so far, 0 for none. */
    public int hints() {
        return events().stream().filter(e -> e.is(Event.HINT)).mapToInt(Event::number).max().orElse(0);
    }

    /** Records a test run: its counts and what failed, by name. */
    public void ran(long passed, long failed, List<String> failing, boolean solved, Instant now) {
        append(Event.run(now, driver(), passed, failed, failing, solved));
    }

    /** The pair's say on which hypothesis was right, 0 for none, as they said it last; empty if they did not. */
    public OptionalInt saidRight() {
        OptionalInt said = OptionalInt.empty();
        for (Event e : events()) {
            if (e.is(Event.RIGHT)) {
                said = OptionalInt.of(e.number());
            }
        }
        return said;
    }

    public void right(int number, Instant now) {
        append(Event.right(now, number));
    }

    /** Records that the bug was revealed: "solved" or "gave up". */
    public void revealed(String how, Instant now) {
        append(Event.revealed(now, how));
    }

    /** How the bug was first revealed, if it was. */
    public Optional<Event> revelation() {
        return events().stream().filter(e -> e.is(Event.REVEALED)).findFirst();
    }

    /** The first solved run, if any. */
    public Optional<Event> firstSolved() {
        return events().stream().filter(e -> e.is(Event.RUN) && Boolean.TRUE.equals(e.solved())).findFirst();
    }

    /** Makes this the session that guess, giveup and retro work on. */
    public void makeCurrent() {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file.getParent().resolve("current"), id + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.getParent().resolve("current"), e);
        }
    }

    private String driver(List<Event> events) {
        String driver = null;
        for (Event e : events) {
            if (e.is(Event.START)) {
                driver = e.pair() == null ? null : e.pair().get(0);
            } else if (e.is(Event.SWAP)) {
                driver = e.who();
            }
        }
        return driver;
    }

    private Event firstStart() {
        return events().stream().filter(e -> e.is(Event.START)).findFirst()
                .orElseThrow(() -> new IllegalStateException(file + " has no start"));
    }

    private Event lastStart() {
        Event last = null;
        for (Event e : events()) {
            last = e.is(Event.START) ? e : last;
        }
        if (last == null) {
            throw new IllegalStateException(file + " has no start");
        }
        return last;
    }

    private synchronized void append(Event event) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, GSON.toJson(event) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
