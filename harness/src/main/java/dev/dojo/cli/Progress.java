package dev.dojo.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the learner has done, per kata, in .dojo/progress.json.
 *
 * <p>Every change is a transaction: under a lock ({@code progress.json.lock} beside the file, held
 * through a {@link FileChannel#lock()} by one process and one thread at a time) the file is read
 * afresh, changed, and replaced atomically (a temporary file, then a rename). So a command that read
 * progress a minute ago never writes back what it read: {@code watch} cannot erase a hint that
 * {@code hint} recorded in another shell, and parallel runs never lose a count. Readers take no lock;
 * the rename means they see the file before or after a change, never half of it.
 *
 * <p>A file that is not valid progress (not UTF-8, not a JSON object of katas, an unparsable date,
 * a negative count) is moved aside under the lock, never deleted, and progress starts afresh. When
 * the file cannot be written (a read-only {@code .dojo}, or {@code .dojo} a file), the change is
 * kept in memory for this command only and the learner is told once; nothing else fails.
 * Every such notice goes, one line each, to the sink the workspace gives.
 */
final class Progress {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final String LOCK = "progress.json.lock";
    /** One in-process lock per lock file: the OS lock is per process, so threads queue here first. */
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

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

        /** Why this record cannot be one the dojo wrote; null when it can. */
        private String invalidity() {
            for (String[] time : new String[][] {{"started", started}, {"solved", solved}}) {
                if (time[1] != null && instant(time[1]) == null) {
                    return "\"" + time[0] + "\" is not a date and time: " + Terminal.printable(shorten(time[1]));
                }
            }
            if (hints < 0 || runs < 0 || solvedInSeconds < 0) {
                return "a negative count (hints " + hints + ", runs " + runs + ", solvedInSeconds " + solvedInSeconds + ")";
            }
            return null;
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

    /** The progress file exists but could not be read: a change must not replace it. */
    private static final class Unreadable extends IOException {
        final IOException io;

        Unreadable(IOException io) {
            super(io);
            this.io = io;
        }
    }

    /** What reading the file found: its state; or why it is not valid progress; or why it could not be read. */
    private record Read(State state, String invalidity, IOException unreadable) {
        static Read of(State state) {
            return new Read(state, null, null);
        }

        static Read invalid(String why) {
            return new Read(null, why, null);
        }
    }

    private final Path file;
    private final Consumer<String> notices;
    private State state;
    private String warning;

    /** Progress kept in {@code file}; notices (a corrupt file kept aside, a file that cannot be saved) go to {@code notices}. */
    Progress(Path file, Consumer<String> notices) {
        this.file = file.toAbsolutePath().normalize();
        this.notices = notices;
        Read read = read();
        if (read.unreadable() != null) {
            this.state = new State();
            notice("cannot read " + file + " (" + FileTrouble.reason(read.unreadable()) + "); showing no progress");
        } else if (read.invalidity() != null) {
            this.state = new State();
            change(s -> false, read.invalidity());   // under the lock: moves the file aside if it is still corrupt
        } else {
            this.state = read.state();
        }
    }

    /** The first notice this progress gave (a corrupt file kept aside, or progress that could not be saved); null if none. */
    String warning() {
        return warning;
    }

    /** The kata's record as last read or changed by this object; an empty one if it has none. */
    Entry entry(String slug) {
        return state.katas.computeIfAbsent(slug, s -> new Entry());
    }

    /** Every record as last read or changed by this object. */
    Map<String, Entry> entries() {
        return state.katas;
    }

    void started(String slug, Instant now) {
        change(s -> {
            Entry e = s.katas.computeIfAbsent(slug, k -> new Entry());
            if (e.started != null) {
                return false;
            }
            e.started = now.toString();
            return true;
        });
    }

    /** Records a test run; a first all-green run marks the kata solved, with the time since it was started. */
    void ran(String slug, boolean allPassed, Instant now) {
        change(s -> {
            Entry e = s.katas.computeIfAbsent(slug, k -> new Entry());
            e.runs++;
            if (e.started == null) {
                e.started = now.toString();
            }
            if (allPassed && e.solved == null) {
                e.solved = now.toString();
                e.solvedInSeconds = Math.max(0, Duration.between(instant(e.started), now).toSeconds());
            }
            return true;
        });
    }

    void hintShown(String slug, int hint) {
        change(s -> {
            Entry e = s.katas.computeIfAbsent(slug, k -> new Entry());
            boolean changed = hint > e.hints || e.started == null;
            e.hints = Math.max(e.hints, hint);
            if (e.started == null) {
                e.started = Instant.now().toString();
            }
            return changed;
        });
    }

    /**
     * Time since the kata was started, or zero if it was not (or its start is not a date); once
     * solved, the time it took (the clock stops).
     */
    Duration elapsed(String slug, Instant now) {
        Entry e = state.katas.get(slug);
        if (e == null) {
            return Duration.ZERO;
        }
        if (e.solved != null) {
            return Duration.ofSeconds(Math.max(0, e.solvedInSeconds));
        }
        Instant started = e.started == null ? null : instant(e.started);
        return started == null || started.isAfter(now) ? Duration.ZERO : Duration.between(started, now);
    }

    /** Moves the entry kept under {@code former} to {@code current}, unless {@code current} has one already. */
    void renamed(String former, String current) {
        if (!state.katas.containsKey(former)) {
            return;   // nothing to move, as of the last read: spare the lock
        }
        change(s -> {
            Entry e = s.katas.get(former);
            if (e == null || s.katas.containsKey(current)) {
                return false;
            }
            s.katas.remove(former);
            s.katas.put(current, e);
            return true;
        });
    }

    /**
     * One transaction: under the lock, reads the file afresh (moving a corrupt one aside), applies
     * {@code change}, and writes the result if it says it changed something. When the lock or the
     * write fails, applies the change to what this object last read, and says once that it is not saved.
     */
    private void change(Predicate<State> change) {
        change(change, null);
    }

    /** {@link #change(Predicate)}, knowing that the file was found corrupt ({@code corrupt} says why) before the lock. */
    private void change(Predicate<State> change, String corrupt) {
        Path folder = file.getParent();
        ReentrantLock threads = null;
        try {
            Files.createDirectories(folder);
            threads = LOCKS.computeIfAbsent(folder.toRealPath().resolve(LOCK), p -> new ReentrantLock());
            threads.lock();
            try (FileChannel channel = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock processes = lockOrNone(channel)) {
                Read read = read();
                if (read.unreadable() != null) {
                    throw new Unreadable(read.unreadable());   // never replace a file that could not be read
                }
                State fresh = read.state();
                corrupt = read.invalidity();
                if (corrupt != null) {
                    moveAside(corrupt);
                    corrupt = null;
                    fresh = new State();
                }
                if (change.test(fresh)) {
                    write(fresh);
                }
                state = fresh;
            }
        } catch (Unreadable e) {
            change.test(state);
            notice("cannot read " + file + " (" + FileTrouble.reason(e.io) + "); carrying on without saving progress");
        } catch (IOException e) {
            change.test(state);
            String why = FileTrouble.unwritable(folder, e);
            notice(corrupt != null
                    ? file + " is not valid progress (" + corrupt + ") and cannot be moved aside (" + why + "); showing no progress"
                    : "cannot save progress in " + folder + " (" + why + "); carrying on without saving it");
        } finally {
            if (threads != null && threads.isHeldByCurrentThread()) {
                threads.unlock();
            }
        }
    }

    /** The OS lock on the lock file; none where the file system has no locks (the in-process lock still holds). */
    private static FileLock lockOrNone(FileChannel channel) {
        try {
            return channel.lock();
        } catch (IOException e) {
            return null;
        }
    }

    private Read read() {
        if (!Files.isDirectory(file.getParent())) {
            return Read.of(new State());   // no .dojo folder (or a file in its place): no progress yet
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Read.of(new State());
        } catch (IOException e) {
            return new Read(null, null, e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return Read.invalid("not UTF-8 text");
        }
        State read;
        try {
            read = GSON.fromJson(text, State.class);
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause().getMessage() != null) {
                cause = cause.getCause();
            }
            return Read.invalid(cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : Terminal.printable(shorten(cause.getMessage())));
        }
        if (read == null || read.katas == null) {
            return Read.invalid("no \"katas\" object");
        }
        for (Map.Entry<String, Entry> kata : read.katas.entrySet()) {
            String invalidity = kata.getValue() == null ? "no record" : kata.getValue().invalidity();
            if (invalidity != null) {
                return Read.invalid("kata " + Terminal.printable(shorten(kata.getKey())) + ": " + invalidity);
            }
        }
        read.katas = new TreeMap<>(read.katas);
        return Read.of(read);
    }

    /** Keeps the corrupt file beside the progress as progress.json.corrupt-MILLIS; called under the lock. */
    private void moveAside(String invalidity) throws IOException {
        Path aside = file.resolveSibling("progress.json.corrupt-" + Instant.now().toEpochMilli());
        for (int n = 1; Files.exists(aside); n++) {
            aside = file.resolveSibling("progress.json.corrupt-" + Instant.now().toEpochMilli() + "-" + n);
        }
        Files.move(file, aside);
        notice(file + " was not valid progress (" + invalidity + "); kept it as " + aside.getFileName()
                + " and started afresh");
    }

    private void write(State s) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), "progress", ".json.tmp");
        try {
            Files.writeString(temporary, GSON.toJson(s));
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private void notice(String message) {
        if (warning == null) {
            warning = message;
        }
        notices.accept(message);
    }

    /** The instant {@code text} names, or null when it names none. */
    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String shorten(String s) {
        return s.length() <= 160 ? s : s.substring(0, 157) + "...";
    }
}
