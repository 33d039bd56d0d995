package dev.dojo.cli;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What a test of the workers sees from the CLI's JVM: the worker processes it started, and the threads running learner code. */
final class Processes {
    private Processes() {}

    /** The live worker processes this JVM started. */
    static Set<Long> workers() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("dev.dojo.worker.Worker")).orElse(false))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** The threads of this JVM with code of {@code packagePrefix} ("dev.dojo.katas.") on their stack. */
    static Set<String> threadsRunning(String packagePrefix) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith(packagePrefix)))
                .map(e -> e.getKey().getName()).collect(Collectors.toSet());
    }

    /**
     * Waits as a pair reading a result would, until the spare worker started after the verdict has
     * warmed up (the CPU time of the processes in neither {@code before} nor {@code gone} stops
     * growing), or 15 s.
     */
    static void readsTheResult(Set<Long> before, Set<Long> gone) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        Duration last = Duration.ZERO;
        int still = 0;
        while (System.currentTimeMillis() < deadline && still < 3) {
            Thread.sleep(200);
            Duration cpu = ProcessHandle.current().descendants()
                    .filter(p -> !before.contains(p.pid()) && !gone.contains(p.pid()))
                    .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                    .reduce(Duration.ZERO, Duration::plus);
            still = cpu.minus(last).toMillis() < 20 ? still + 1 : 0;
            last = cpu;
        }
    }

    /** The "verdict N ms after save" of a watch's output, or -1. */
    static long afterSave(String text) {
        Matcher m = Pattern.compile("verdict (\\d+) ms after save").matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
