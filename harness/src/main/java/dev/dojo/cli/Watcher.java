package dev.dojo.cli;

import dev.dojo.kata.Kata;
import dev.dojo.kata.KataTests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Watches a kata's sources and, on every save, recompiles them in-process, loads them in a fresh
 * class loader and reruns the tests, in one warm JVM. Polls file times every few milliseconds:
 * a handful of files costs nothing to check, and it works the same on every OS and editor.
 */
final class Watcher {
    static final Duration POLL = Duration.ofMillis(20);
    static final Duration SETTLE = Duration.ofMillis(20);

    /** A run after a save: the verdict, and the time from the save (the newest file time) to the verdict. */
    record Run(KataRunner.Verdict verdict, Duration saveToVerdict) {}

    private final Kata kata;
    private final Duration timeout;

    Watcher(Kata kata, Duration timeout) {
        this.kata = kata;
        this.timeout = timeout;
    }

    /** Runs once, then again after every change, until {@code stop} says so; each outcome and run is reported. */
    void watch(BooleanSupplier stop, Consumer<KataTests.Outcome> live, Consumer<Run> done) throws InterruptedException {
        Map<Path, Long> seen = snapshot();
        done.accept(new Run(KataRunner.run(kata, timeout, live), Duration.ZERO));
        while (!stop.getAsBoolean()) {
            Thread.sleep(POLL.toMillis());
            Map<Path, Long> now = snapshot();
            if (now.equals(seen)) {
                continue;
            }
            Thread.sleep(SETTLE.toMillis());       // let the editor finish writing
            now = snapshot();
            long saved = now.values().stream().mapToLong(Long::longValue).max().orElse(0);
            seen = now;
            KataRunner.Verdict verdict = KataRunner.run(kata, timeout, live);
            long nowMillis = System.currentTimeMillis();
            done.accept(new Run(verdict, Duration.ofMillis(Math.max(0, nowMillis - saved))));
        }
    }

    /** Each source file's modification time, in milliseconds. */
    private Map<Path, Long> snapshot() {
        Map<Path, Long> times = new TreeMap<>();
        for (Path root : new Path[] {kata.kataDir().resolve("src/main/java"), kata.kataDir().resolve("src/test/java")}) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".java")).forEach(p -> times.put(p, modified(p)));
            } catch (IOException | UncheckedIOException e) {
                // a file vanished mid-walk (an editor's save-by-rename): the next poll sees the result
            }
        }
        return times;
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
