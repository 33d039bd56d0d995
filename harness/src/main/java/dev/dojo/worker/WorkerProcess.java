package dev.dojo.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One worker JVM as the CLI sees it: started with its limits, asked over its standard input,
 * heard over its standard output, and killed with whatever it started. Lines on its output that
 * are not events, and its error output, are kept (the last few) to say why it died.
 */
public final class WorkerProcess {
    /** What the CLI receives from a worker: an event of a request, or the worker's exit. */
    sealed interface Received {}

    /** An event of request {@code id}. */
    record Message(long id, Event event) implements Received {}

    /** The worker exited with {@code code}; {@code lastLines} are the last things it wrote outside the protocol. */
    record Exited(int code, List<String> lastLines) implements Received {}

    /**
     * The system property that names the worker archive: a class-data-sharing archive of the classes
     * a worker loads on its way to its first run (see {@link WorkerArchive}). {@code ./kata} sets it;
     * unset, or the file missing, workers start without one.
     */
    public static final String ARCHIVE_PROPERTY = "dojo.worker.archive";

    private static final int KEPT_LINES = 20;
    private static final int LONGEST_LINE = 16 << 20;
    private static final Set<WorkerProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(WorkerProcess::kill), "dojo-workers-stop"));
    }

    private final Process process;
    private final OutputStream requests;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Deque<String> stray = new ArrayDeque<>();
    private final Thread errors;
    private int served;

    private WorkerProcess(Process process) {
        this.process = process;
        this.requests = process.getOutputStream();
        this.errors = daemon("dojo-worker-" + process.pid() + "-err", () -> readErrors(process.getErrorStream()));
        daemon("dojo-worker-" + process.pid() + "-out", () -> readEvents(process.getInputStream()));
    }

    /**
     * Starts a worker on this JVM's class path under {@code limits}: a one-shot worker starts
     * quicker (the quick JIT only), a long-lived one (watch) runs faster after its first runs.
     */
    static WorkerProcess start(Limits limits, boolean longLived) {
        return start(command(limits, longLived));
    }

    static WorkerProcess start(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");  // glibc: fewer 64 MiB arenas reserved per thread
        try {
            WorkerProcess worker = new WorkerProcess(builder.start());
            LIVE.add(worker);
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a worker JVM (" + String.join(" ", builder.command()) + ")", e);
        }
    }

    /** The command that starts a worker: java with its limits, under a shell that sets the address-space limit where there is one. */
    static List<String> command(Limits limits, boolean longLived) {
        return command(limits, longLived, sharing());
    }

    /**
     * The options that start a JVM from the worker archive: none when {@link #ARCHIVE_PROPERTY} names
     * no file. With {@code -Xshare:auto} an archive that does not fit (another JDK, a class path
     * changed since it was made) is ignored and the JVM starts as it would without one.
     */
    public static List<String> sharing() {
        String archive = System.getProperty(ARCHIVE_PROPERTY, "");
        if (archive.isEmpty() || !Files.isRegularFile(Path.of(archive))) {
            return List.of();
        }
        // its warning that it went without goes to the worker's standard output, where it would only confuse
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds*=off");
    }

    /** The command that starts a worker, with {@code jvmOptions} (class data sharing) added to its own. */
    static List<String> command(Limits limits, boolean longLived, List<String> jvmOptions) {
        boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("win");
        List<String> command = new ArrayList<>();
        if (!windows) {
            // exec: the shell becomes the JVM, so the worker is one process; a shell that cannot set
            // the limit (macOS refuses some) still starts the worker, with the heap ceiling only
            command.addAll(List.of("/bin/sh", "-c", "ulimit -v " + limits.addressSpaceMiB() * 1024
                    + " 2>/dev/null; exec \"$0\" \"$@\""));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java").toString());
        // The old generation grows as needed instead of starting at a 64th of the machine's memory, all of it
        // touched in time. The young generation stays large: DJL's scalar ops (x.div(2.0)) wrap the scalar around
        // a direct buffer that only the Java side keeps alive, and autograd reads it again in backward; a GC in
        // between frees it and the gradient turns to NaN. 96 MiB keeps GCs as rare as in a default-sized JVM.
        command.addAll(List.of("-Xms128m", "-Xmn96m", "-Xmx" + limits.heapMiB() + "m", "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseSerialGC",
                "-Xss4m", "-XX:CompressedClassSpaceSize=256m", "-Djava.awt.headless=true", "-Dai.djl.offline=true",
                "-D" + Worker.CEILING_PROPERTY + "=" + limits.ceiling(),
                // a crash report goes to the temporary folder, not into the learner's checkout
                "-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "dojo-worker-hs_err_%p.log")));
        if (!longLived) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.addAll(jvmOptions);
        for (Map.Entry<Object, Object> p : System.getProperties().entrySet()) {
            String name = p.getKey().toString();
            if (name.startsWith("ai.djl.") && !name.equals("ai.djl.offline")
                    || name.equals("DJL_CACHE_DIR") || name.equals("ENGINE_CACHE_DIR")) {
                command.add("-D" + name + "=" + p.getValue());
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Worker.class.getName()));
        return command;
    }

    /** The requests sent to this worker so far, a warm-up included. */
    int served() {
        return served;
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Sends request {@code id}; false if the worker is gone (its exit is then among what it sent). */
    boolean send(long id, Request request) {
        served++;
        try {
            requests.write((Protocol.encode(id, request) + "\n").getBytes(StandardCharsets.UTF_8));
            requests.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Closes the worker's standard input, as a CLI that exits does: the worker halts. */
    void hangUp() {
        try {
            requests.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** The next thing the worker said, or null if it said nothing for {@code millis}. */
    Received next(long millis) throws InterruptedException {
        return received.poll(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    /** Kills the worker and every process it started, at once (no shutdown hooks run in it). */
    void kill() {
        LIVE.remove(this);
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readEvents(InputStream out) {
        lines(out, line -> {
            int mark = line.indexOf(Protocol.MARK);
            Protocol.Message message = mark < 0 ? null : Protocol.decode(line.substring(mark + Protocol.MARK.length()));
            if (message != null && message.body() instanceof Event event) {
                keep(line.substring(0, mark));
                received.add(new Message(message.id(), event));
            } else {
                keep(line);
            }
        });
        int code;
        try {
            errors.join(2000);
            code = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = -1;
        }
        LIVE.remove(this);
        synchronized (stray) {
            received.add(new Exited(code, List.copyOf(stray)));
        }
    }

    private void readErrors(InputStream err) {
        lines(err, this::keep);
    }

    /** Each line of {@code stream} until it ends, cut at {@link #LONGEST_LINE} characters. */
    private static void lines(InputStream stream, java.util.function.Consumer<String> each) {
        try (Reader in = new java.io.BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c != '\n') {
                    if (line.length() < LONGEST_LINE) {
                        line.append((char) c);
                    }
                    continue;
                }
                each.accept(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                each.accept(line.toString());
            }
        } catch (IOException e) {
            // the pipe broke: the worker is gone
        }
    }

    private void keep(String line) {
        if (line.isBlank()) {
            return;
        }
        synchronized (stray) {
            if (stray.size() == KEPT_LINES) {
                stray.removeFirst();
            }
            stray.addLast(line.length() > 300 ? line.substring(0, 300) + " …" : line);
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
