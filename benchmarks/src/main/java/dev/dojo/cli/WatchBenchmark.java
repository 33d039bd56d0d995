package dev.dojo.cli;

import dev.dojo.kata.Kata;
import dev.dojo.worker.Limits;
import dev.dojo.worker.Request;
import dev.dojo.worker.Workers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Watch mode's save-to-verdict time: a warm watcher on a copy of a kata, and N saves that
 * alternate the broken and the fixed source. Each sample is the time from the write returning to
 * the verdict (the worker compiles, loads the classes afresh and runs all the kata's tests, and the
 * probe gate when they pass). Prints every sample and the median, then each process's peak memory;
 * with {@code every}, also the resident memory of this JVM and of each worker after every
 * {@code every} saves (the memory curve of a long watch).
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath) \
 *     dev.dojo.cli.WatchBenchmark [slug] [saves] [every]</pre>
 */
public final class WatchBenchmark {
    private WatchBenchmark() {}

    public static void main(String[] args) throws Exception {
        String slug = args.length > 0 ? args[0] : "prenorm-block";
        int saves = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int every = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Path repo = Path.of(System.getProperty("dojo.root", ".")).toAbsolutePath().normalize();
        Path root = Files.createTempDirectory("dojo-watch-bench");
        copy(repo.resolve("katas").resolve(slug), root.resolve("katas").resolve(slug));
        copy(repo.resolve("solutions").resolve(slug), root.resolve("solutions").resolve(slug));
        Kata kata = Kata.read(root, slug);
        Path component;
        try (Stream<Path> walk = Files.walk(kata.kataDir().resolve("src/main/java"))) {
            component = walk.filter(p -> p.toString().endsWith(".java")).findFirst().orElseThrow();
        }
        Path fixedSource = kata.solutionDir().resolve("src/main/java")
                .resolve(kata.kataDir().resolve("src/main/java").relativize(component));
        String broken = Files.readString(component);
        String fixed = Files.readString(fixedSource);

        BlockingQueue<Watcher.Run> runs = new LinkedBlockingQueue<>();
        Workers workers = Workers.warm();
        Request.Test request = new Request.Test(kata.kataDir().toString(), kata.golden(), Limits.TEST_TIMEOUT.toMillis(),
                "evidence", null);
        Thread watcher = new Thread(() -> {
            try {
                Watcher.of(kata, workers, () -> request, outcome -> { }, notice -> { })
                        .watch(() -> Thread.currentThread().isInterrupted(), runs::add);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "watcher");
        watcher.setDaemon(true);
        watcher.start();
        runs.take();                                       // the first run warms the JVM and the engine
        settle();                                          // as a pair reads the result: the spare warms up

        List<Long> millis = new ArrayList<>();
        for (int i = 1; i <= saves; i++) {
            Thread.sleep(200);
            String source = (i % 2 == 1 ? fixed : broken) + "// save " + i + "\n";
            Files.writeString(component, source);
            long written = System.nanoTime();
            Watcher.Run run = runs.poll(2, TimeUnit.MINUTES);
            long took = (System.nanoTime() - written) / 1_000_000;
            if (run == null) {
                throw new IllegalStateException("no verdict within 2 minutes of save " + i);
            }
            millis.add(took);
            System.out.printf(Locale.ROOT, "save %2d (%s): %d ms, %d passed %d failed%n", i, i % 2 == 1 ? "fixed" : "broken",
                    took, run.verdict().passed(), run.verdict().failed());
            if (every > 0 && i % every == 0) {
                StringBuilder curve = new StringBuilder("memory after save " + i + ": CLI " + status(ProcessHandle.current().pid(), "VmRSS"));
                ProcessHandle.current().children().forEach(worker ->
                        curve.append(", worker ").append(worker.pid()).append(' ').append(status(worker.pid(), "VmRSS")));
                System.out.println(curve);
            }
        }
        watcher.interrupt();
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "%s: save to verdict over %d saves: median %d ms, min %d ms, max %d ms%n", slug,
                saves, sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
        System.out.println("peak resident memory: this JVM (the CLI's side) " + status(ProcessHandle.current().pid(), "VmHWM"));
        ProcessHandle.current().children().forEach(worker ->
                System.out.println("peak resident memory: worker " + worker.pid() + " " + status(worker.pid(), "VmHWM")));
        workers.close();
        System.exit(0);
    }

    /** Waits until this JVM's child processes (the workers) use no more CPU, or 20 s. */
    private static void settle() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        Duration last = Duration.ZERO;
        int still = 0;
        while (System.currentTimeMillis() < deadline && still < 3) {
            Thread.sleep(200);
            Duration cpu = ProcessHandle.current().children()
                    .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO)).reduce(Duration.ZERO, Duration::plus);
            still = cpu.minus(last).toMillis() < 20 ? still + 1 : 0;
            last = cpu;
        }
    }

    /** A line of a process's /proc status: its resident set (VmRSS) or its peak (VmHWM), where /proc tells it. */
    private static String status(long pid, String field) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith(field + ":")).map(line -> line.substring(field.length() + 1).strip()).findFirst()
                    .orElse("?");
        } catch (IOException e) {
            return "? (no /proc)";
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.filter(p -> !p.toString().contains("/target")).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
