package dev.dojo.worker;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
}
