package dev.dojo.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the learner has done, per kata, in .dojo/progress.json. Written atomically (a temporary
 * file, then a rename), so a crash mid-write never corrupts it; a corrupt file is kept aside,
 * never deleted, and progress starts afresh.
 */
final class Progress {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** One kata's record; times are ISO-8601 instants, null until they happen. */
    static final class Entry {
        String started;
        String solved;
        int hints;
        int runs;
        long solvedInSeconds;

        Status status() {
            return solved != null ? Status.SOLVED : started != null || runs > 0 ? Status.IN_PROGRESS : Status.NOT_STARTED;
        }
    }

    enum Status {
        NOT_STARTED("not started"), IN_PROGRESS("in progress"), SOLVED("solved");

        final String words;

        Status(String words) {
            this.words = words;
        }
    }

    private static final class State {
        Map<String, Entry> katas = new TreeMap<>();
    }

    private final Path file;
    private State state;
    private String warning;

    Progress(Path file) {
        this.file = file;
        this.state = read();
    }

    /** A note for the user when the file was corrupt and kept aside; null otherwise. */
    String warning() {
        return warning;
    }

    Entry entry(String slug) {
        return state.katas.computeIfAbsent(slug, s -> new Entry());
    }

    Map<String, Entry> entries() {
        return state.katas;
    }

    void started(String slug, Instant now) {
        Entry e = entry(slug);
        if (e.started == null) {
            e.started = now.toString();
        }
        save();
    }

    /** Records a test run; a first all-green run marks the kata solved, with the time since it was started. */
    void ran(String slug, boolean allPassed, Instant now) {
        Entry e = entry(slug);
        e.runs++;
        if (e.started == null) {
            e.started = now.toString();
        }
        if (allPassed && e.solved == null) {
            e.solved = now.toString();
            e.solvedInSeconds = Duration.between(Instant.parse(e.started), now).toSeconds();
        }
        save();
    }

    void hintShown(String slug, int hint) {
        Entry e = entry(slug);
        e.hints = Math.max(e.hints, hint);
        if (e.started == null) {
            e.started = Instant.now().toString();
        }
        save();
    }

    /** Time since the kata was started, or zero if it was not; once solved, the time it took (the clock stops). */
    Duration elapsed(String slug, Instant now) {
        Entry e = state.katas.get(slug);
        if (e == null || e.started == null) {
            return Duration.ZERO;
        }
        return e.solved != null ? Duration.ofSeconds(e.solvedInSeconds) : Duration.between(Instant.parse(e.started), now);
    }

    /** Moves the entry kept under {@code former} to {@code current}, unless {@code current} has one already. */
    void renamed(String former, String current) {
        Entry e = state.katas.get(former);
        if (e != null && !state.katas.containsKey(current)) {
            state.katas.remove(former);
            state.katas.put(current, e);
            save();
        }
    }

    private State read() {
        if (!Files.exists(file)) {
            return new State();
        }
        try {
            State read = GSON.fromJson(Files.readString(file), State.class);
            if (read == null || read.katas == null) {
                throw new JsonParseException("no katas object");
            }
            read.katas = new TreeMap<>(read.katas);
            return read;
        } catch (JsonParseException | IllegalStateException e) {
            Path aside = file.resolveSibling("progress.json.corrupt-" + Instant.now().toEpochMilli());
            try {
                Files.move(file, aside);
            } catch (IOException io) {
                throw new UncheckedIOException("cannot move the corrupt " + file + " aside", io);
            }
            warning = file + " was not valid progress (" + e.getMessage() + "); kept it as " + aside.getFileName()
                    + " and started afresh";
            return new State();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), "progress", ".json.tmp");
            Files.writeString(temporary, GSON.toJson(state));
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
