package dev.dojo.cli;

import dev.dojo.drills.Drill;
import dev.dojo.drills.DrillWorkspace;
import dev.dojo.drills.Drills;
import dev.dojo.drills.Planter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.dojo.cli.Processes.afterSave;
import static dev.dojo.cli.Processes.readsTheResult;
import static dev.dojo.cli.Processes.threadsRunning;
import static dev.dojo.cli.Processes.workers;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A blind drill's code runs in a worker JVM, as a kata's does: the CLI run in-process on a norm
 * drill whose planted part is edited to exit, halt, loop or print, with real worker processes.
 */
class DrillIsolationTest {
    private static final String EXITED = "the component ended the test run: the worker exited with code 0 before the"
            + " tests finished (does it call System.exit or Runtime.halt?)";
    private static final String DRILL_CODE = Planter.PACKAGE + ".";

    @TempDir
    Path root;

    private Cli cli;
    private DrillWorkspace drill;

    @BeforeEach
    void draw() {
        Workspace workspace = new Workspace(root);
        Drill drawn = Drill.draw(8, Drills.candidates("norm", null, null));
        drill = DrillWorkspace.create(Drilling.drills(workspace), drawn, "--seed 8 --topic norm", Instant.now());
        Drilling.makeCurrent(workspace, drawn.id());
        cli = Cli.in(root);
    }

    @Test
    @DisplayName("System.exit(0) in the drill's part is not a success: exit 1, and the worker's exit is named")
    void exitZero() throws IOException {
        atStartOfForward("System.exit(0);");

        assertThat(cli.run("drill", "test")).isEqualTo(1);

        assertThat(cli.out()).contains(EXITED).doesNotContainPattern("\\d+ passed, 0 failed")
                .doesNotContain("every probe that applies holds", "Solved in");
    }

    @Test
    @DisplayName("Runtime.halt(0) in the drill's part is not a success either")
    void haltZero() throws IOException {
        atStartOfForward("Runtime.getRuntime().halt(0);");

        assertThat(cli.run("drill", "test")).isEqualTo(1);

        assertThat(cli.out()).contains(EXITED).doesNotContain("Solved in");
    }

    @Test
    @DisplayName("an endless loop in the drill ends at the first test's timeout, exit 1; its worker is killed")
    void endlessLoop() throws IOException {
        atStartOfForward("while (System.nanoTime() != 0) { Thread.onSpinWait(); }");
        Set<Long> before = workers();

        assertThat(cli.run("drill", "test", "--timeout", "1")).isEqualTo(1);

        assertThat(cli.out()).contains("did not finish within 1 s (", "is there an endless loop?",
                "the run stopped there: ", "did not run");
        assertThat(workers()).as("worker processes left behind").isSubsetOf(before);
        assertThat(threadsRunning(DRILL_CODE)).as("threads running drill code in the CLI's JVM").isEmpty();
    }

    @Test
    @DisplayName("the reference's step still solves the drill through the worker, and reveals the bug")
    void fixSolves() throws IOException {
        Files.writeString(drill.source(), drill.drill().planted().reference());

        assertThat(cli.run("drill", "test")).as(cli.out()).isZero();

        assertThat(cli.out()).containsPattern("[1-9]\\d* passed, 0 failed").contains("every probe that applies holds",
                "Solved in", "The bug: " + drill.drill().variant().bug());
    }

    @Test
    @DisplayName("the drill's code runs in another JVM than ./kata's: its pid is a worker's, its prints are caught")
    void runsInAWorker() throws IOException {
        // each assertion here fails when the drill runs inside ./kata's own JVM
        atStartOfForward("System.out.println(\"pid \" + ProcessHandle.current().pid());");

        cli.run("drill", "test");

        Matcher printed = Pattern.compile("│ pid (\\d+)").matcher(cli.out());
        assertThat(printed.find()).as("a caught print of the part's pid in:%n%s", cli.out()).isTrue();
        assertThat(Long.parseLong(printed.group(1))).as("the pid the drill's code ran in")
                .isNotEqualTo(ProcessHandle.current().pid());
        assertThat(cli.out()).containsPattern("the part printed \\d+ lines");
    }

    @Test
    @DisplayName("drill watch: after an endless loop, the fixed save's run is solved, from a spare; nothing keeps spinning")
    void watchRecoversFromAnEndlessLoop() throws Exception {
        atStartOfForward("while (System.nanoTime() != 0) { Thread.onSpinWait(); }");
        Set<Long> before = workers();
        Thread watcher = new Thread(() -> cli.run("drill", "watch", "--runs", "2", "--timeout", "1"));
        watcher.start();
        Set<Long> looping = new HashSet<>();
        long deadline = System.currentTimeMillis() + 120_000;
        while (!cli.out().contains("waiting for a save") && System.currentTimeMillis() < deadline) {
            looping.addAll(workers());
            Thread.sleep(20);
        }
        looping.removeAll(before);
        assertThat(cli.out()).contains("did not finish within 1 s", "waiting for a save");
        assertThat(looping).as("the worker of the looping run").isNotEmpty();
        // the workers seen meanwhile may include watch's warm spare, which lives on: the looping one must not
        assertThat(looping.stream().filter(pid -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()))
                .as("the looping run's worker, killed when its run timed out (workers seen: %s)", looping).isNotEmpty();

        readsTheResult(before, looping);
        Files.writeString(drill.source(), drill.drill().planted().reference());
        watcher.join(120_000);

        assertThat(watcher.isAlive()).isFalse();
        String second = cli.out().substring(cli.out().indexOf("waiting for a save"));
        assertThat(second).containsPattern("[1-9]\\d* passed, 0 failed").contains("Solved in")
                .doesNotContain("did not finish");
        System.out.println("drill watch: the fixed save's verdict came " + afterSave(second) + " ms after the save");
        assertThat(workers()).as("worker processes left behind by drill watch").isSubsetOf(before);
        assertThat(threadsRunning(DRILL_CODE)).as("threads running drill code in the CLI's JVM").isEmpty();
    }

    /** Inserts {@code statement} as the first line of the part's forward. */
    private void atStartOfForward(String statement) throws IOException {
        String source = Files.readString(drill.source());
        int forward = source.indexOf("NDArray forward(");
        assertThat(forward).as("a forward method in:%n%s", source).isPositive();
        int at = source.indexOf('\n', forward) + 1;
        Files.writeString(drill.source(), source.substring(0, at) + "        " + statement + "\n" + source.substring(at));
    }
}
