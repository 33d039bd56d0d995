package dev.dojo.worker;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerProcessTest {

    @Test
    @Timeout(60)
    @DisplayName("a worker whose CLI is gone (its standard input closed) halts: no orphan keeps running")
    void haltsWhenTheCliIsGone() throws Exception {
        WorkerProcess worker = WorkerProcess.start(Limits.standard(), false);
        ProcessHandle handle = worker.handle();

        worker.hangUp();

        assertThat(handle.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(worker.next(10_000)).isInstanceOf(WorkerProcess.Exited.class);
    }

    @Test
    @DisplayName("the worker's command sets its memory ceiling and stops on a Java OOM")
    void command() {
        List<String> command = WorkerProcess.command(new Limits(java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1), 100, 2048), true);

        assertThat(command).contains("-Xmx100m", "-XX:+ExitOnOutOfMemoryError", Worker.class.getName())
                .doesNotContain("-XX:TieredStopAtLevel=1");
        if (!System.getProperty("os.name").startsWith("Windows")) {
            assertThat(command.get(2)).startsWith("ulimit -v 2097152 ").contains("exec ");
        }
        assertThat(WorkerProcess.command(Limits.standard(), false)).contains("-XX:TieredStopAtLevel=1");
    }

    @Test
    @DisplayName("a worker starts from the worker archive only when one is named and there")
    void sharing(@TempDir Path folder) throws Exception {
        Path archive = folder.resolve("dojo-worker.jsa");
        String before = System.getProperty(WorkerProcess.ARCHIVE_PROPERTY);
        try {
            System.clearProperty(WorkerProcess.ARCHIVE_PROPERTY);
            assertThat(WorkerProcess.sharing()).isEmpty();
            System.setProperty(WorkerProcess.ARCHIVE_PROPERTY, archive.toString());
            assertThat(WorkerProcess.sharing()).isEmpty();

            Files.write(archive, new byte[] {1, 2, 3});
            assertThat(WorkerProcess.command(Limits.standard(), false))
                    .contains("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
        } finally {
            if (before == null) {
                System.clearProperty(WorkerProcess.ARCHIVE_PROPERTY);
            } else {
                System.setProperty(WorkerProcess.ARCHIVE_PROPERTY, before);
            }
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("a worker whose archive does not fit (another JDK, another class path, not one at all) starts and warms without it")
    void archiveThatDoesNotFit(@TempDir Path folder) throws Exception {
        Path archive = folder.resolve("dojo-worker.jsa");
        Files.write(archive, new byte[64 << 10]);
        WorkerProcess worker = WorkerProcess.start(WorkerProcess.command(Limits.standard(), false,
                List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto")));
        try {
            worker.send(1, new Request.Warm());
            WorkerProcess.Received next;
            do {
                next = worker.next(60_000);
            } while (next instanceof WorkerProcess.Message message && !(message.event() instanceof Event.Done));

            assertThat(next).isInstanceOfSatisfying(WorkerProcess.Message.class,
                    done -> assertThat(done.event()).isEqualTo(new Event.Done(0, true)));
        } finally {
            worker.kill();
        }
    }

    @Test
    @Timeout(180)
    @DisplayName("a warm-up that rehearses a kata runs its tests on its solution, in a copy: all pass, the kata's folder untouched")
    void rehearsal() throws Exception {
        Path root = Path.of(System.getProperty("dojo.root", "..")).toAbsolutePath().normalize();
        dev.dojo.kata.Kata kata = dev.dojo.kata.Kata.read(root, "rotary-embedding");
        Path target = kata.kataDir().resolve("target");
        long stamp = Files.exists(target) ? Files.getLastModifiedTime(target).toMillis() : -1;
        WorkerProcess worker = WorkerProcess.start(Limits.standard(), false);
        List<TestOutcome> outcomes = new java.util.ArrayList<>();
        try {
            worker.send(1, new Request.Warm(new Request.Rehearsal(kata.kataDir().toString(), kata.golden(),
                    kata.solutionDir().toString())));
            WorkerProcess.Received next;
            do {
                next = worker.next(120_000);
                if (next instanceof WorkerProcess.Message message && message.event() instanceof Event.Finished finished) {
                    outcomes.add(finished.outcome());
                }
            } while (next instanceof WorkerProcess.Message message && !(message.event() instanceof Event.Done));

            assertThat(next).isInstanceOfSatisfying(WorkerProcess.Message.class,
                    done -> assertThat(done.event()).isEqualTo(new Event.Done(0, true)));
            assertThat(outcomes).hasSizeGreaterThan(5)
                    .allSatisfy(outcome -> assertThat(outcome.status()).isEqualTo(dev.dojo.kata.KataTests.Status.PASSED));
            assertThat(Files.exists(target) ? Files.getLastModifiedTime(target).toMillis() : -1).isEqualTo(stamp);
        } finally {
            worker.kill();
        }
    }
}
