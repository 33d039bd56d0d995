package dev.dojo.cli;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Progress survives concurrent writers, corrupt files and bad dates. */
class ProgressTest {
    private static final String SLUG = "prenorm-block";

    @TempDir
    Path root;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Path file() {
        return root.resolve(".dojo/progress.json");
    }

    private Progress progress() {
        return new Progress(file(), new Notices(new PrintStream(err, true, StandardCharsets.UTF_8)));
    }

    private String notices() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("a command holding progress it read earlier never writes back stale state: a hint recorded meanwhile stays")
    void staleReaderKeepsOthersChanges() {
        Progress watch = progress();          // as watch reads progress when it starts
        Progress hint = progress();           // ./kata hint in another shell
        hint.hintShown(SLUG, 3);
        progress().started("rotary-embedding", Instant.parse("2024-01-01T10:00:00Z"));

        watch.ran(SLUG, false, Instant.now());

        Progress now = progress();
        assertThat(now.entry(SLUG).hints).isEqualTo(3);
        assertThat(now.entry(SLUG).runs).isEqualTo(1);
        assertThat(now.entry("rotary-embedding").started).isEqualTo("2024-01-01T10:00:00Z");
        assertThat(watch.entry(SLUG).hints).as("the writer sees what it wrote over").isEqualTo(3);
    }

    @Test
    @DisplayName("8 threads, each with its own Progress, recording 50 runs each, lose no count")
    void threadsLoseNothing() throws Exception {
        int threads = 8;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < each; i++) {
                    progress().ran(SLUG, false, Instant.now());
                    progress().hintShown("kata-" + thread, i % 3 + 1);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        Progress now = progress();
        assertThat(now.entry(SLUG).runs).isEqualTo(threads * each);
        for (int t = 0; t < threads; t++) {
            assertThat(now.entry("kata-" + t).hints).as("kata-%d's hints", t).isEqualTo(3);
        }
        assertThat(notices()).isEmpty();
        try (Stream<Path> files = Files.list(root.resolve(".dojo"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("progress.json", "progress.json.lock");
        }
    }

    @Test
    @DisplayName("2 child JVMs and 4 threads of this one recording runs at once lose no count")
    void processesLoseNothing() throws Exception {
        int perChild = 150;
        int perThread = 40;
        int threads = 4;
        Files.createDirectories(root.resolve(".dojo"));
        Path go = root.resolve("go");
        List<Process> children = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            Process child = Cli.java(root, List.of(), ProgressHammer.class.getName(), file().toString(), go.toString(),
                    SLUG, Integer.toString(perChild)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            children.add(child);
        }
        for (Process child : children) {
            String line = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(line).as("the child started").isEqualTo("ready");
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        Files.createFile(go);
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    progress().ran(SLUG, false, Instant.now());
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        for (Process child : children) {
            Cli.finish(child, 120);
            assertThat(child.exitValue()).isZero();
        }

        assertThat(progress().entry(SLUG).runs).isEqualTo(2 * perChild + threads * perThread);
    }

    static Stream<Arguments> corruptFiles() {
        byte[] random = new byte[512];
        new Random(42).nextBytes(random);
        return Stream.of(
                Arguments.of("random bytes", random, "not UTF-8 text"),
                Arguments.of("a JSON array", "[1, 2, 3]".getBytes(StandardCharsets.UTF_8), "BEGIN_ARRAY"),
                Arguments.of("JSON null", "null".getBytes(StandardCharsets.UTF_8), "no \"katas\" object"),
                Arguments.of("a kata with no record", "{\"katas\": {\"prenorm-block\": null}}".getBytes(StandardCharsets.UTF_8),
                        "no record"),
                Arguments.of("a bad date in started", ("{\"katas\": {\"prenorm-block\": {\"started\": \"yesterday\"}}}")
                        .getBytes(StandardCharsets.UTF_8), "\"started\" is not a date and time: yesterday"),
                Arguments.of("a bad date in solved", ("{\"katas\": {\"prenorm-block\": {\"started\": \"2024-01-01T10:00:00Z\","
                        + " \"solved\": \"2024-13-45\"}}}").getBytes(StandardCharsets.UTF_8), "\"solved\" is not a date"),
                Arguments.of("negative runs", "{\"katas\": {\"prenorm-block\": {\"runs\": -4}}}".getBytes(StandardCharsets.UTF_8),
                        "a negative count"),
                Arguments.of("negative solving time", "{\"katas\": {\"prenorm-block\": {\"solvedInSeconds\": -1}}}"
                        .getBytes(StandardCharsets.UTF_8), "a negative count"),
                Arguments.of("a count too large", "{\"katas\": {\"prenorm-block\": {\"hints\": 1e40}}}"
                        .getBytes(StandardCharsets.UTF_8), "hints"),
                Arguments.of("a control character in a date", "{\"katas\": {\"k\": {\"started\": \"\\u001b[2J\"}}}"
                        .getBytes(StandardCharsets.UTF_8), "\\e[2J"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptFiles")
    @DisplayName("a file that is not valid progress is moved aside with its bytes, in one line, and progress starts afresh")
    void corruptFileMovedAside(String what, byte[] content, String reason) throws Exception {
        Files.createDirectories(file().getParent());
        Files.write(file(), content);

        Progress progress = progress();

        assertThat(progress.entries()).isEmpty();
        assertThat(notices().lines().toList()).singleElement().asString()
                .startsWith("dojo: " + file() + " was not valid progress (").contains(reason)
                .contains("; kept it as progress.json.corrupt-").doesNotContain("\u001b");
        assertThat(progress.warning()).contains("was not valid progress");
        try (Stream<Path> files = Files.list(file().getParent())) {
            List<Path> aside = files.filter(p -> p.getFileName().toString().startsWith("progress.json.corrupt-")).toList();
            assertThat(aside).hasSize(1);
            assertThat(Files.readAllBytes(aside.get(0))).isEqualTo(content);
        }
        assertThat(file()).doesNotExist();

        progress.ran(SLUG, false, Instant.now());
        assertThat(progress().entry(SLUG).runs).isEqualTo(1);
        assertThat(notices().lines()).hasSize(1);
    }

    @Test
    @DisplayName("an unparsable date gives zero elapsed time, never an exception")
    void elapsedWithABadDate() {
        Progress progress = progress();
        progress.entry(SLUG).started = "not a date";
        assertThat(progress.elapsed(SLUG, Instant.now())).isEqualTo(Duration.ZERO);
        progress.entry(SLUG).started = "2999-01-01T00:00:00Z";
        assertThat(progress.elapsed(SLUG, Instant.now())).as("a start in the future").isEqualTo(Duration.ZERO);
        progress.entry(SLUG).started = "2024-01-01T10:00:00Z";
        assertThat(progress.elapsed(SLUG, Instant.parse("2024-01-01T10:05:00Z"))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    @DisplayName("a first green run marks the kata solved with the time since its start, and the clock stops")
    void solvedStopsTheClock() {
        progress().started(SLUG, Instant.parse("2024-01-01T10:00:00Z"));
        progress().ran(SLUG, true, Instant.parse("2024-01-01T10:12:00Z"));
        progress().ran(SLUG, true, Instant.parse("2024-01-01T11:00:00Z"));
        Progress now = progress();
        assertThat(now.entry(SLUG).solved).isEqualTo("2024-01-01T10:12:00Z");
        assertThat(now.elapsed(SLUG, Instant.parse("2024-01-02T00:00:00Z"))).isEqualTo(Duration.ofMinutes(12));
        assertThat(now.entry(SLUG).runs).isEqualTo(2);
    }

    @Test
    @DisplayName("a progress file that cannot be read is never replaced: the change is kept in memory and said in one line")
    void unreadableIsNeverReplaced() throws Exception {
        Files.createDirectories(file().resolve("inside"));   // a folder where the file should be: unreadable, for root too

        Progress progress = progress();
        progress.ran(SLUG, false, Instant.now());

        assertThat(progress.entry(SLUG).runs).isEqualTo(1);
        assertThat(notices().lines().toList()).hasSize(2).allSatisfy(line -> assertThat(line)
                .startsWith("dojo: cannot read " + file() + " ("));
        assertThat(file().resolve("inside")).isDirectory();
    }

    @Test
    @DisplayName("progress that cannot be saved (.dojo is a file) is kept for this command and said once, never thrown")
    void cannotSave() throws Exception {
        Files.writeString(root.resolve(".dojo"), "not a folder");
        Progress progress = progress();

        progress.started(SLUG, Instant.now());
        progress.ran(SLUG, true, Instant.now());
        progress.hintShown(SLUG, 2);

        assertThat(progress.entry(SLUG).runs).isEqualTo(1);
        assertThat(progress.entry(SLUG).hints).isEqualTo(2);
        assertThat(progress.entry(SLUG).solved).isNotNull();
        assertThat(notices().lines().toList()).containsExactly("dojo: cannot save progress in " + root.resolve(".dojo")
                + " (it is a file, not a folder); carrying on without saving it");
        assertThat(Files.readString(root.resolve(".dojo"))).isEqualTo("not a folder");
    }
}
