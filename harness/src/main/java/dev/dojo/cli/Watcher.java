package dev.dojo.cli;

import dev.dojo.kata.Kata;
import dev.dojo.worker.Request;
import dev.dojo.worker.TestOutcome;
import dev.dojo.worker.Verdict;
import dev.dojo.worker.Workers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Watches a kata's or a drill's sources and, on every save, has a worker recompile them and rerun
 * the tests. The worker of a clean run serves the next one; when one must go (a timeout, an
 * exit), a spare started ahead of time takes over, and the next spare starts while the pair reads
 * the result. Polls file times every few milliseconds: a handful of files costs nothing to check,
 * and it works the same on every OS and editor.
 */
final class Watcher {
    static final Duration POLL = Duration.ofMillis(20);
    static final Duration SETTLE = Duration.ofMillis(20);

    /** A run after a save: the verdict, and the time from the save (the newest file time) to the verdict. */
    record Run(Verdict verdict, Duration saveToVerdict) {}

    private final List<Path> roots;
    private final Workers workers;
    private final Function<Workers, Verdict> run;

    /** Watches the Java files under {@code roots}; each time, {@code run} runs them on {@code workers}. */
    Watcher(List<Path> roots, Workers workers, Function<Workers, Verdict> run) {
        this.roots = List.copyOf(roots);
        this.workers = workers;
        this.run = run;
    }

    /** Watches {@code kata}, running each time the {@code request} of that moment; {@code live} hears each outcome. */
    static Watcher of(Kata kata, Workers workers, Supplier<Request.Test> request, Consumer<TestOutcome> live,
                      Consumer<String> notices) {
        return new Watcher(List.of(kata.kataDir().resolve("src/main/java"), kata.kataDir().resolve("src/test/java")),
                workers, w -> w.test(request.get(), live, notices));
    }

    /** Runs once, then again after every change, until {@code stop} says so; each run is reported. */
    void watch(BooleanSupplier stop, Consumer<Run> done) throws InterruptedException {
        Map<Path, Long> seen = snapshot();
        done.accept(new Run(run.apply(workers), Duration.ZERO));
        workers.keepSpare();
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
            Verdict verdict = run.apply(workers);
            long nowMillis = System.currentTimeMillis();
            done.accept(new Run(verdict, Duration.ofMillis(Math.max(0, nowMillis - saved))));
            workers.keepSpare();
        }
    }

    /** Each source file's modification time, in milliseconds. */
    private Map<Path, Long> snapshot() {
        Map<Path, Long> times = new TreeMap<>();
        for (Path root : roots) {
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
