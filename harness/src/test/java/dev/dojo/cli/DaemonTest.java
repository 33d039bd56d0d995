package dev.dojo.cli;

import dev.dojo.daemon.Place;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon, with real processes: {@code ./kata}'s client in a child JVM, the daemon it starts
 * after a call no daemon answered, and the daemon's workers, on a temporary copy of prenorm-block.
 */
class DaemonTest {
    private static final Pattern PID = Pattern.compile("listening on .* \\(pid (\\d+)\\)");
    /** What a run prints that changes from run to run: times. */
    private static final Pattern TIMES = Pattern.compile("\\d+ ms|\\d+\\.\\d+ s|⏱.*|worker pid \\d+");
    private static final String PRINT_PID = "System.out.println(\"worker pid \" + ProcessHandle.current().pid());";

    @TempDir
    Path root;

    private Cli cli;
    private Place place;

    @BeforeEach
    void copyKata() throws IOException {
        cli = new Cli(root);
        place = Place.of(root);
    }

    @AfterEach
    void stopTheDaemon() throws Exception {
        Optional<ProcessHandle> daemon = daemon();
        client(List.of(), "stop");
        daemon.ifPresent(d -> d.destroyForcibly());
    }

    @Test
    @DisplayName("a call no daemon answers runs at once and starts one; the next is served by its warm worker,"
            + " and says what a run without the daemon says")
    void warmWorkerServesTheNextCall() throws Exception {
        Run first = client(List.of(), "test", Cli.SLUG);
        ProcessHandle daemon = awaitDaemon(-1);
        Set<Long> warm = workersOf(daemon, 1);             // the spare it warmed as it started
        WorkerIsolationTest.atStartOfForward(cli.component(), PRINT_PID);

        Run second = client(List.of(), "test", Cli.SLUG);

        assertThat(first.code).isEqualTo(1);
        assertThat(first.err).isEmpty();
        assertThat(second.code).isEqualTo(1);
        assertThat(second.out).as("run by the warm worker").containsPattern("worker pid ("
                + warm.stream().map(String::valueOf).collect(Collectors.joining("|")) + ")\\b");
        Run alone = client(List.of(), "--no-daemon", "test", Cli.SLUG);
        assertThat(alone.code).isEqualTo(1);
        assertThat(alone.out).doesNotContainPattern("worker pid (" + warm.stream().map(String::valueOf)
                .collect(Collectors.joining("|")) + ")\\b");
        assertThat(steady(second.out)).isEqualTo(steady(alone.out)).contains("failed");
        assertThat(second.err).isEmpty();
    }

    @Test
    @DisplayName("the socket's folder and the socket are the user's alone")
    void ownerOnly() throws Exception {
        client(List.of(), "list");
        awaitDaemon(-1);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(place.folder()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(place.socket()))).isEqualTo("rw-------");
        assertThat(place.socket()).startsWith(root.resolve(".dojo"));
    }

    @Test
    @DisplayName("./kata stop stops the daemon and its workers, and says so; with none running it says that")
    void stop() throws Exception {
        Served served = tested(List.of());

        Run stop = client(List.of(), "stop");

        assertThat(stop.code).isZero();
        assertThat(stop.out).contains("the background process stopped");
        assertGone(served.daemon.pid(), served.workers);
        assertThat(place.socket()).doesNotExist();
        assertThat(client(List.of(), "stop").out).contains("no background process was running");
    }

    @Test
    @DisplayName("after its idle time the daemon stops by itself, its workers with it")
    void idleStop() throws Exception {
        Served served = tested(List.of("-Ddojo.daemon.idle=3"));

        assertGone(served.daemon.pid(), served.workers);
        assertThat(place.socket()).doesNotExist();
        assertThat(Files.readString(place.log())).contains("retiring: idle for 3 s");
    }

    @Test
    @DisplayName("a daemon that was killed is replaced without a word, and its workers did not outlive it")
    void killedDaemonIsReplaced() throws Exception {
        Served served = tested(List.of());
        ProcessHandle killed = served.daemon;
        killed.destroyForcibly();
        assertGone(killed.pid(), served.workers);
        assertThat(place.socket()).exists();                  // left behind by the killed daemon

        Run next = client(List.of(), "test", Cli.SLUG);

        assertThat(next.code).isEqualTo(1);
        assertThat(next.out).contains("failed");
        assertThat(next.err).isEmpty();
        assertThat(awaitDaemon(killed.pid()).pid()).isNotEqualTo(killed.pid());
    }

    @Test
    @DisplayName("a client built or set up differently gets a daemon of its own; the old one retires")
    void differentBuildGetsItsOwnDaemon() throws Exception {
        client(List.of(), "list");
        ProcessHandle old = awaitDaemon(-1);

        Run other = client(List.of("-Dai.djl.pytorch.num_threads=1"), "list");

        assertThat(other.code).isZero();
        assertThat(other.out).contains(Cli.SLUG);
        assertThat(other.err).isEmpty();
        assertThat(old.onExit().get(20, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(awaitDaemon(old.pid()).pid()).isNotEqualTo(old.pid());
        assertThat(Files.readString(place.log())).contains("retiring: a client built differently came");
    }

    @Test
    @DisplayName("an exit call in the component is no success through the daemon either, and the daemon serves on")
    void exitCallThroughTheDaemon() throws Exception {
        client(List.of(), "list");
        ProcessHandle daemon = awaitDaemon(-1);
        WorkerIsolationTest.atStartOfForward(cli.component(), "System.exit(0);");

        Run exited = client(List.of(), "test", Cli.SLUG);
        cli.solve();
        Run solved = client(List.of(), "test", Cli.SLUG);

        assertThat(exited.code).isEqualTo(1);
        assertThat(exited.out).contains("the component ended the test run: the worker exited with code 0");
        assertThat(solved.code).isZero();
        assertThat(solved.out).contains("every probe that applies holds");
        assertThat(daemon.isAlive()).isTrue();
        assertThat(awaitDaemon(-1).pid()).as("the same daemon served both").isEqualTo(daemon.pid());
    }

    @Test
    @DisplayName("Ctrl-C on a client whose component never returns kills the worker running it; the daemon serves on")
    void hangUpKillsTheWorker() throws Exception {
        client(List.of(), "test", Cli.SLUG);
        ProcessHandle daemon = awaitDaemon(-1);
        client(List.of(), "test", Cli.SLUG);
        Set<Long> before = workersOf(daemon, 2);            // the one that ran, kept, and a new spare
        WorkerIsolationTest.atStartOfForward(cli.component(), "while (x != null) { x.getShape(); }");

        Process looping = start(List.of(), "test", Cli.SLUG, "--timeout", "600");
        Thread.sleep(4000);                                     // compiled, and spinning
        assertThat(looping.isAlive()).isTrue();
        looping.destroy();                                      // SIGTERM, as Ctrl-C's SIGINT: the JVM exits

        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline && before.stream().allMatch(this::alive)) {
            Thread.sleep(100);
        }
        assertThat(before.stream().filter(pid -> !alive(pid)).count()).as("the looping worker was killed").isEqualTo(1);
        cli.solve();
        assertThat(client(List.of(), "test", Cli.SLUG).code).isZero();
        assertThat(daemon.isAlive()).as("the daemon lives on; its log:%n%s", Files.readString(place.log())).isTrue();
    }

    @Test
    @DisplayName("--no-daemon starts no daemon")
    void noDaemon() throws Exception {
        Run run = client(List.of(), "test", Cli.SLUG, "--no-daemon");
        Thread.sleep(2000);                                 // time enough for one to have started

        assertThat(run.code).isEqualTo(1);
        assertThat(run.out).contains("failed");
        assertThat(place.socket()).doesNotExist();
        assertThat(daemon()).isEmpty();
    }

    @Test
    @DisplayName("two clients at once, with no daemon yet, both get their verdicts, and one daemon is left")
    void twoAtOnce() throws Exception {
        Process a = start(List.of(), "test", Cli.SLUG);
        Process b = start(List.of(), "test", Cli.SLUG);

        Run ra = finish(a);
        Run rb = finish(b);

        assertThat(ra.code).isEqualTo(1);
        assertThat(rb.code).isEqualTo(1);
        assertThat(steady(ra.out)).isEqualTo(steady(rb.out)).contains("failed");
        assertThat(ra.err + rb.err).isEmpty();
        ProcessHandle daemon = awaitDaemon(-1);
        Thread.sleep(2000);                                 // the other one, if it started, has given up by now
        assertThat(daemon.isAlive()).isTrue();
        long daemons = ProcessHandle.allProcesses().filter(this::isOurDaemon).count();
        assertThat(daemons).isEqualTo(1);
    }

    @Test
    @DisplayName("a daemon that cannot start is said in one line, after the command ran as ever")
    void cannotStart() throws Exception {
        Files.createDirectories(place.folder().getParent());
        Files.writeString(place.folder(), "not a folder");

        Run run = client(List.of(), "test", Cli.SLUG);

        assertThat(run.code).isEqualTo(1);
        assertThat(run.out).contains("failed");
        assertThat(run.err.strip()).startsWith("dojo: cannot start the background process:")
                .contains("is not a folder").endsWith("; the next call runs without it too").doesNotContain("\n");
    }

    @Test
    @DisplayName("output piped to a reader that stops early (./kata list | head -1) is no reason to run the command again")
    void closedOutput() throws Exception {
        client(List.of(), "list");
        awaitDaemon(-1);
        ProcessBuilder builder = Cli.java(root, List.of(), Client.class.getName(), "list");
        Path err = Files.createTempFile(root, "err", ".txt");
        Process process = builder.redirectError(err.toFile()).start();
        process.getInputStream().read();
        process.getInputStream().close();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(Files.readString(err)).isEmpty();
    }

    @Test
    @DisplayName("a client in another folder runs its command itself: a relative path names a file in its own folder")
    void anotherFolder() throws Exception {
        client(List.of(), "list");
        ProcessHandle daemon = awaitDaemon(-1);
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));

        Process process = Cli.java(root, List.of(), Client.class.getName(), "report", Cli.SLUG, "-o", "page.html")
                .directory(elsewhere.toFile()).redirectErrorStream(true).start();
        String out = Cli.finish(process, 180);

        assertThat(process.exitValue()).as(out).isZero();
        assertThat(elsewhere.resolve("page.html")).isNotEmptyFile();
        assertThat(daemon.isAlive()).isTrue();
        assertThat(awaitDaemon(-1).pid()).isEqualTo(daemon.pid());
    }

    // ---- helpers

    private record Run(int code, String out, String err) {}

    private record Served(ProcessHandle daemon, Set<Long> workers) {}

    /** Runs ./kata test once with {@code options}; the daemon that ran it and its workers. */
    private Served tested(List<String> options) throws Exception {
        client(options, "test", Cli.SLUG);
        ProcessHandle daemon = awaitDaemon(-1);
        return new Served(daemon, workersOf(daemon, 1));
    }

    /** Runs {@code ./kata args} as a child JVM with {@code options}, and waits for it. */
    private Run client(List<String> options, String... args) throws Exception {
        return finish(start(options, args));
    }

    private Process start(List<String> options, String... args) throws IOException {
        ProcessBuilder builder = Cli.java(root, List.of(), Client.class.getName(), args);
        List<String> command = new ArrayList<>(builder.command());
        command.addAll(1, options);
        builder.command(command);
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        outputs.add(new Path[] {out, err});
        processes.add(process);
        return process;
    }

    private final List<Path[]> outputs = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    private Run finish(Process process) throws Exception {
        boolean ended = process.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        Path[] files = outputs.get(processes.indexOf(process));
        String out = Files.readString(files[0], StandardCharsets.UTF_8);
        String err = Files.readString(files[1], StandardCharsets.UTF_8);
        assertThat(ended).as("the client ended; it printed:%n%s%n%s", out, err).isTrue();
        return new Run(process.exitValue(), out, err);
    }

    /** The daemon of this checkout that is listening now, as its log says. */
    private Optional<ProcessHandle> daemon() throws IOException {
        if (!Files.exists(place.log())) {
            return Optional.empty();
        }
        Matcher m = PID.matcher(Files.readString(place.log()));
        long pid = -1;
        while (m.find()) {
            pid = Long.parseLong(m.group(1));
        }
        return pid < 0 ? Optional.empty() : ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    /** The daemon listening now, other than {@code not}'s, waiting up to 30 s for it to start. */
    private ProcessHandle awaitDaemon(long not) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            Optional<ProcessHandle> daemon = daemon().filter(d -> d.pid() != not);
            if (daemon.isPresent()) {
                return daemon.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no daemon started; its log: " + (Files.exists(place.log()) ? Files.readString(place.log()) : "none"));
    }

    private boolean isOurDaemon(ProcessHandle p) {
        return p.info().commandLine().map(c -> c.contains(DaemonMain.class.getName()) && c.contains("-Ddojo.root=" + root))
                .orElse(false);
    }

    /** The daemon's workers, once there are at least {@code count} (waiting up to 30 s for a spare to start). */
    private static Set<Long> workersOf(ProcessHandle daemon, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        Set<Long> workers;
        do {
            workers = daemon.children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).collect(Collectors.toSet());
            if (workers.size() >= count) {
                return workers;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("the daemon has " + workers.size() + " workers, not " + count);
    }

    private void assertGone(long daemon, Set<Long> workers) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline && (alive(daemon) || workers.stream().anyMatch(this::alive))) {
            Thread.sleep(100);
        }
        assertThat(alive(daemon)).as("the daemon is gone").isFalse();
        assertThat(workers.stream().filter(this::alive).toList()).as("its workers are gone").isEmpty();
    }

    private boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** A run's output without its times. */
    private static String steady(String out) {
        return TIMES.matcher(out).replaceAll("…");
    }
}
