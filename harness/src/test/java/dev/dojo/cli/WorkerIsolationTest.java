package dev.dojo.cli;

import dev.dojo.worker.Limits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import static dev.dojo.cli.Processes.afterSave;
import static dev.dojo.cli.Processes.readsTheResult;
import static dev.dojo.cli.Processes.threadsRunning;
import static dev.dojo.cli.Processes.workers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The learner's code runs in a worker JVM, and every way it can misbehave is reported as what it
 * is: the CLI run in-process on a copy of prenorm-block whose component is edited to exit, halt,
 * loop, allocate a huge tensor or print two million lines, with real worker processes.
 */
class WorkerIsolationTest {
    private static final String SLUG = "prenorm-block";
    private static final String EXITED = "the worker exited with code %d before the tests finished (does it call"
            + " System.exit or Runtime.halt?)";

    @TempDir
    Path root;

    private Cli cli;

    @BeforeEach
    void copyKata() throws IOException {
        cli = new Cli(root);
    }

    @Test
    @DisplayName("System.exit(0) in the component is not a success: exit 1, and the worker's exit is named")
    void exitZero() throws IOException {
        atStartOfForward("System.exit(0);");

        assertThat(kata("test", SLUG)).isEqualTo(1);

        assertThat(out()).contains("the component ended the test run: " + EXITED.formatted(0))
                .doesNotContainPattern("\\d+ passed, 0 failed").doesNotContain("every probe that applies holds");
    }

    @Test
    @DisplayName("Runtime.halt(0) in the component is not a success either")
    void haltZero() throws IOException {
        atStartOfForward("Runtime.getRuntime().halt(0);");

        assertThat(kata("test", SLUG)).isEqualTo(1);

        assertThat(out()).contains("the component ended the test run: " + EXITED.formatted(0));
    }

    @Test
    @DisplayName("System.exit(3) in the component is not a missing engine: exit 1, code 3 named as the worker's")
    void exitThree() throws IOException {
        atStartOfForward("System.exit(3);");

        assertThat(kata("test", SLUG)).isEqualTo(1);

        assertThat(out()).contains(EXITED.formatted(3));
        assertThat(err()).doesNotContain("PyTorch native library");
    }

    @Test
    @DisplayName("an endless loop ends at the first test's timeout, exit 1, and its worker is killed")
    void endlessLoop() throws IOException {
        atStartOfForward("while (x != null) { x.getShape(); }");
        Set<Long> before = workers();

        assertThat(kata("test", SLUG, "--timeout", "1")).isEqualTo(1);

        assertThat(out()).contains("did not finish within 1 s (PreNormBlockTest#", "is there an endless loop?",
                "the run stopped there: ", "more tests did not run");
        assertThat(workers()).as("worker processes left behind").isSubsetOf(before);
        assertThat(threadsRunning("dev.dojo.katas.")).as("threads running kata code in the CLI's JVM").isEmpty();
    }

    @Test
    @DisplayName("a worker serves its number of runs, then a fresh one takes over (its memory creeps up over hundreds)")
    void aWorkerServesItsRunsThenGoes() throws IOException {
        String runs = System.setProperty(dev.dojo.worker.Workers.RUNS_PROPERTY, "1");
        try {
            kata("test", SLUG);                               // no worker is kept after this run: a fresh start
            System.setProperty(dev.dojo.worker.Workers.RUNS_PROPERTY, "2");
            Set<Long> before = workers();
            kata("test", SLUG);
            Set<Long> first = new java.util.HashSet<>(workers());
            first.removeAll(before);
            assertThat(first).as("the worker of the first run, kept").hasSize(1);

            kata("test", SLUG);
            assertThat(workers()).as("after its second run it is gone").doesNotContainAnyElementsOf(first);

            assertThat(kata("test", SLUG)).isEqualTo(1);
            assertThat(out()).contains("failed");
        } finally {
            restore(dev.dojo.worker.Workers.RUNS_PROPERTY, runs);
        }
    }

    @Test
    @DisplayName("an endless loop outside the tests' timeout (in the probe gate) is stopped by the watchdog")
    void endlessLoopInTheProbeGate() throws IOException {
        solve();
        // loops only where no JUnit frame is on the stack: in the probe gate, after every test passed
        atStartOfForward("while (java.util.Arrays.stream(new Throwable().getStackTrace())"
                + ".noneMatch(f -> f.getClassName().startsWith(\"org.junit\"))) { x.getShape(); }");
        Set<Long> before = workers();
        String grace = System.setProperty(Limits.GRACE_PROPERTY, "2");
        try {
            assertThat(kata("test", SLUG, "--timeout", "1")).isEqualTo(1);
        } finally {
            restore(Limits.GRACE_PROPERTY, grace);
        }

        assertThat(out()).containsPattern("\\d+ passed, 0 failed|✓ ")
                .contains("no verdict within 3 s: is there an endless loop? (while checking the probes, after the"
                        + " tests passed)").doesNotContain("every probe that applies holds");
        assertThat(workers()).as("worker processes left behind").isSubsetOf(before);
    }

    @Test
    @DisplayName("an error thrown outside the tests (in the probe gate) ends the run with its text, exit 1, not as an exit")
    void errorInTheProbeGate() throws IOException {
        solve();
        atStartOfForward("if (java.util.Arrays.stream(new Throwable().getStackTrace())"
                + ".noneMatch(f -> f.getClassName().startsWith(\"org.junit\"))) { throw new AssertionError(\"outside\"); }");

        assertThat(kata("test", SLUG)).isEqualTo(1);

        assertThat(out()).contains("the test run could not finish: AssertionError: outside")
                .doesNotContain("exited with code", "every probe that applies holds");
    }

    @Test
    @DisplayName("watch: after an endless loop, the correct save's run is solved, from a spare; nothing keeps spinning")
    void watchRecoversFromAnEndlessLoop() throws Exception {
        atStartOfForward("while (x != null) { x.getShape(); }");
        Set<Long> before = workers();
        Thread watcher = new Thread(() -> kata("watch", SLUG, "--runs", "2", "--timeout", "1"));
        watcher.start();
        Set<Long> looping = new java.util.HashSet<>();
        long deadline = System.currentTimeMillis() + 120_000;
        while (!out().contains("waiting for a save") && System.currentTimeMillis() < deadline) {
            looping.addAll(workers());
            Thread.sleep(20);
        }
        looping.removeAll(before);
        assertThat(out()).contains("did not finish within 1 s", "waiting for a save");
        assertThat(looping).as("the worker of the looping run").isNotEmpty();
        assertThat(looping).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("worker %d after its run timed out", pid).isEmpty());

        readsTheResult(before, looping);
        solve();
        watcher.join(120_000);

        assertThat(watcher.isAlive()).isFalse();
        String second = out().substring(out().indexOf("waiting for a save"));
        assertThat(second).containsPattern("\\d+ passed, 0 failed").contains("Solved").doesNotContain("did not finish");
        System.out.println("watch: the correct save's verdict came " + afterSave(second) + " ms after the save");
        assertThat(workers()).as("worker processes left behind by watch").isSubsetOf(before);
        assertThat(threadsRunning("dev.dojo.katas.")).as("threads running kata code in the CLI's JVM").isEmpty();
    }

    @Test
    @DisplayName("a 50000 x 50000 tensor fails at once against the memory ceiling, clearly, and the worker is not reused")
    void hugeTensor() throws IOException {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"),
                "the address-space ceiling is set with ulimit -v, enforced on Linux");
        atStartOfForward("x.getManager().ones(new ai.djl.ndarray.types.Shape(50000, 50000));");
        Set<Long> before = workers();
        long start = System.nanoTime();

        assertThat(kata("test", SLUG)).isEqualTo(1);

        long seconds = (System.nanoTime() - start) / 1_000_000_000;
        assertThat(out()).contains("can't allocate memory: you tried to allocate 10000000000 bytes",
                "refused at the run's memory ceiling, 256 MiB of Java heap and 3 GiB of memory in all");
        System.out.println("a 50000 x 50000 tensor: the run ended after " + seconds + " s");
        assertThat(workers()).as("a worker whose allocation was refused is not kept").isSubsetOf(before);
    }

    @Test
    @DisplayName("an array larger than the heap stops the worker, reported as running out of memory, never as exit 3")
    void heapExhausted() throws IOException {
        atStartOfForward("if (new float[200_000_000].length == 1) { return x; }");

        assertThat(kata("test", SLUG)).isEqualTo(1);

        assertThat(out()).contains("the component ran out of memory (ceiling: 256 MiB of Java heap")
                .contains("the worker stopped before the tests finished");
        assertThat(err()).doesNotContain("PyTorch native library");
    }

    @Test
    @DisplayName("two million printed lines: the first 40 are shown, the rest counted, and the verdict comes last")
    void floodOfOutput() throws IOException {
        String source = Files.readString(component());
        Files.writeString(component(), source.replace("public final class PreNormBlock implements Block {",
                "public final class PreNormBlock implements Block {\n    static {\n        for (int i = 0; i < 2_000_000;"
                        + " i++) {\n            System.out.println(\"line \" + i);\n        }\n    }\n"));
        long start = System.nanoTime();

        assertThat(kata("test", SLUG)).isEqualTo(1);

        long millis = (System.nanoTime() - start) / 1_000_000;
        String text = out();
        assertThat(text).contains("the component printed 2000000 lines; the first 40:", "│ line 0\n", "│ line 39\n",
                "… and 1999960 more lines").doesNotContain("line 40\n");
        assertThat(text.indexOf("… and 1999960 more lines")).as("the output comes before the verdict")
                .isLessThan(text.indexOf(" passed, "));
        assertThat(text.lines().count()).as("lines the CLI printed").isLessThan(400);
        System.out.println("two million printed lines: the run took " + millis + " ms");
    }

    @Test
    @DisplayName("nothing stale runs: a renamed class and a deleted component are compile errors, never the old class")
    void nothingStale() throws IOException {
        solve();
        assertThat(kata("test", SLUG)).isZero();
        String solved = Files.readString(component());

        Files.writeString(component(), solved.replace("public final class PreNormBlock ", "public final class Block2 ")
                .replace("public PreNormBlock(", "public Block2("));
        assertThat(kata("test", SLUG)).isEqualTo(1);
        assertThat(out()).contains("does not compile:", "Block2").doesNotContain("passed, 0 failed");

        Files.delete(component());
        assertThat(kata("test", SLUG)).isEqualTo(1);
        assertThat(out()).contains("does not compile:", "the component's file is missing");
    }

    @Test
    @DisplayName("with target/ removed, the kata is compiled afresh and runs")
    void cleanTarget() throws IOException {
        solve();
        Path target = root.resolve("katas").resolve(SLUG).resolve("target");
        assertThat(kata("test", SLUG)).isZero();
        delete(target);

        assertThat(kata("test", SLUG)).isZero();

        assertThat(out()).containsPattern("[1-9]\\d* passed, 0 failed").contains("every probe that applies holds");
        assertThat(target.resolve("classes/dev/dojo/katas/prenorm/PreNormBlock.class")).exists();
    }

    @Test
    @DisplayName("the component reading System.in reads nothing, and cannot take the worker's requests")
    void readsNothing() throws IOException {
        solve();
        atStartOfForward("try { if (System.in.read() != -1) { return x; } } catch (java.io.IOException e) { return x; }");

        assertThat(kata("test", SLUG, "--timeout", "5")).isZero();

        assertThat(out()).containsPattern("[1-9]\\d* passed, 0 failed").contains("every probe that applies holds");
    }

    @Test
    @DisplayName("report runs the component in a worker too: an exit in it is named, exit 1, no page written")
    void reportInAWorker() throws IOException {
        atStartOfForward("System.exit(0);");
        Path page = root.resolve("page.html");

        assertThat(kata("report", SLUG, "-o", page.toString())).isEqualTo(1);

        assertThat(err()).contains("the component ended the report: the worker exited with code 0 before the report"
                + " was written");
        assertThat(page).doesNotExist();
    }

    // ---- helpers

    /** Inserts {@code statement} as the first line of the component's forward. */
    private void atStartOfForward(String statement) throws IOException {
        atStartOfForward(component(), statement);
    }

    /** Inserts {@code statement} as the first line of the forward of prenorm-block's {@code component}. */
    static void atStartOfForward(Path component, String statement) throws IOException {
        String source = Files.readString(component);
        int at = source.indexOf('\n', source.indexOf("public NDArray forward(")) + 1;
        Files.writeString(component, source.substring(0, at) + "        " + statement + "\n" + source.substring(at));
    }

    private int kata(String... args) {
        return cli.run(args);
    }

    private String out() {
        return cli.out();
    }

    private String err() {
        return cli.err();
    }

    private Path component() {
        return cli.component();
    }

    private void solve() throws IOException {
        cli.solve();
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

}
