package dev.dojo.worker;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dojo.diagnosis.Mode;
import dev.dojo.drills.DrillWorkspace;
import dev.dojo.engine.Engines;
import dev.dojo.kata.Integrity;
import dev.dojo.kata.Javac;
import dev.dojo.kata.Kata;
import dev.dojo.kata.KataCompiler;
import dev.dojo.kata.KataTests;
import dev.dojo.kata.ProbeGate;
import dev.dojo.tensor.Seeded;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The worker JVM: runs a learner's code for the CLI that started it, one request at a time, and
 * says what happened over its standard output (see {@link Protocol}). The learner's prints are
 * caught ({@link Capture}), so nothing but events reaches that stream from Java. The worker halts
 * as soon as its standard input ends: a CLI that is gone leaves no worker behind.
 *
 * <pre>java -cp CLASSPATH dev.dojo.worker.Worker</pre>
 */
public final class Worker {
    /** The text a refused native allocation carries (libtorch's CPU allocator). */
    static final String REFUSED_ALLOCATION = "can't allocate memory";
    /** The system property that tells the worker its memory ceiling in words, for the message of a refused allocation. */
    static final String CEILING_PROPERTY = "dojo.worker.ceiling";

    private final PrintStream channel;
    private final Capture capture;
    private final CompletableFuture<Void> engine = new CompletableFuture<>();
    private final BlockingQueue<Protocol.Message> requests = new LinkedBlockingQueue<>();
    private volatile long request;
    private final AtomicBoolean refused = new AtomicBoolean();

    private Worker(PrintStream channel, Capture capture) {
        this.channel = channel;
        this.capture = capture;
    }

    public static void main(String[] args) {
        PrintStream channel = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        InputStream requestStream = new FileInputStream(FileDescriptor.in);
        System.setIn(new ByteArrayInputStream(new byte[0]));      // the learner's code reads nothing, and no request
        Capture capture = new Capture();
        Worker worker = new Worker(channel, capture);
        worker.catchOutput();
        worker.startEngine();
        BlockingQueue<Protocol.Message> requests = worker.requests;
        Thread reader = new Thread(() -> readRequests(requestStream, requests), "worker-requests");
        reader.setDaemon(true);
        reader.start();
        while (true) {
            Protocol.Message next;
            try {
                next = requests.take();
            } catch (InterruptedException e) {
                Runtime.getRuntime().halt(0);
                return;
            }
            worker.serve(next);
        }
    }

    /**
     * Reads requests until standard input ends, then halts: the CLI is gone, or done with this worker.
     * A worker that makes the worker archive exits instead, normally.
     */
    private static void readRequests(InputStream stream, BlockingQueue<Protocol.Message> requests) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Protocol.Message message = Protocol.decode(line);
                if (message != null && message.body() instanceof Request) {
                    requests.add(message);
                }
            }
        } catch (IOException e) {
            // the pipe broke: the CLI is gone
        }
        if (Boolean.getBoolean(WorkerArchive.TRAINING_PROPERTY)) {
            System.exit(0);                          // a normal exit, at which the JVM writes the worker archive
        }
        Runtime.getRuntime().halt(0);
    }

    /** Points System.out and System.err at the capture, again before each request: a run may have replaced them. */
    private void catchOutput() {
        PrintStream caught = capture.stream();
        System.setOut(caught);
        System.setErr(caught);
    }

    /** Starts the engine in the background, so that compiling the first request's kata overlaps with it. */
    private void startEngine() {
        PrintStream notices = new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                if (b == '\n') {
                    send(0, new Event.Notice(line.toString(StandardCharsets.UTF_8).stripTrailing()));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8);
        Thread start = new Thread(() -> {
            try {
                try (NDManager manager = Engines.pytorch(notices).newBaseManager()) {
                    manager.ones(new Shape(2, 2)).matMul(manager.ones(new Shape(2, 2))).sum().getFloat();
                }
                engine.complete(null);
            } catch (RuntimeException | LinkageError e) {
                engine.completeExceptionally(e);
            }
        }, "worker-engine-start");
        start.setDaemon(true);
        start.start();
    }

    private synchronized void send(long id, Event event) {
        channel.print(Protocol.MARK);
        channel.print(Protocol.encode(id, event));
        channel.print('\n');
        channel.flush();
    }

    private void send(Event event) {
        send(request, event);
    }

    /** Carries out one request, its output caught, and ends it with {@link Event.Done}. */
    private void serve(Protocol.Message message) {
        request = message.id();
        refused.set(false);
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        catchOutput();
        capture.begin(line -> send(new Event.Printed(line)));
        try {
            Object body = message.body();
            if (body instanceof Request.Test test) {
                holding(Path.of(test.module()), () -> test(test));
            } else if (body instanceof Request.Drill drill) {
                holding(Path.of(drill.folder()), () -> drill(drill));
            } else if (body instanceof Request.Report report) {
                holding(Path.of(report.module()), () -> report(report));
            } else if (body instanceof Request.Verify verify) {
                holding(Kata.read(Path.of(verify.root()), verify.slug()).kataDir(), () -> verify(verify));
            } else {
                warm(((Request.Warm) body).rehearsal());
            }
        } catch (NoEngine e) {
            send(new Event.NoEngine(e.getMessage()));
        } catch (Throwable e) {                     // the learner's code may throw anything outside the tests
            if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                throw (VirtualMachineError) e;
            }
            send(new Event.Failed(e.getClass().getSimpleName(), String.valueOf(e.getMessage())));
        }
        long printed = capture.end();
        boolean clean = !refused.get() && settled(before);
        if (!clean && message.body() instanceof Request.Warm) {
            Runtime.getRuntime().halt(1);           // a spare whose warm-up left work behind is no spare: one is started anew
        }
        send(new Event.Done(printed, clean));
    }

    /**
     * Whether every thread of the learner's that the request started has ended, given a moment to:
     * a thread left spinning (a test abandoned at its timeout, a thread the learner started) makes
     * the worker unfit for another run. The JVM's and the libraries' own threads, started lazily,
     * do not count.
     */
    private static boolean settled(Set<Thread> before) {
        long deadline = System.nanoTime() + Duration.ofMillis(200).toNanos();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (before.contains(thread) || !learners(thread)) {
                continue;
            }
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /**
     * A thread of the learner's: it runs kata or drill code, or it was started under a kata's class
     * loader (kata code and the tests run with their own URLClassLoader as the thread's context
     * loader, which every thread they start inherits, JUnit's timeout threads included).
     */
    private static boolean learners(Thread thread) {
        if (thread.getContextClassLoader() instanceof URLClassLoader) {
            return true;
        }
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (TestOutcome.learners(frame)) {
                return true;
            }
        }
        return false;
    }

    private void awaitEngine() {
        try {
            engine.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the engine started", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Engines.MissingNativeLibraryException missing) {
                throw new NoEngine(missing.getMessage());
            }
            throw new IllegalStateException("the PyTorch engine did not start: " + e.getCause(), e.getCause());
        }
    }

    /** The engine cannot start here. */
    private static final class NoEngine extends RuntimeException {
        NoEngine(String message) {
            super(message);
        }
    }

    private void test(Request.Test test) {
        properties(test.mode(), test.seed() == null ? null : Long.toString(test.seed()));
        Path module = Path.of(test.module());
        if (!compiled(module)) {
            return;
        }
        awaitEngine();
        Path tests = module.resolve("target/test-classes");
        List<Path> classpath = List.of(module.resolve("target/classes"), tests);
        List<KataTests.Outcome> outcomes = runTests(classpath, tests, test.timeoutMillis());
        if (!outcomes.isEmpty() && outcomes.stream().allMatch(KataTests.Outcome::passed)) {
            probe(classpath, test.golden());
        }
    }

    /** As a test run, on a drill's sources; its probes run whenever a test ran, pass or fail. */
    private void drill(Request.Drill drill) {
        properties(drill.mode(), drill.seed() == null ? null : Long.toString(drill.seed()));
        Path classes;
        try {
            classes = DrillWorkspace.compile(Path.of(drill.folder()));
        } catch (Javac.CompileError e) {
            send(new Event.Compiled(e.getMessage()));
            return;
        }
        send(new Event.Compiled(null));
        awaitEngine();
        if (!runTests(List.of(classes), classes, drill.timeoutMillis()).isEmpty()) {
            probe(List.of(classes), DrillWorkspace.CASE);
        }
    }

    /** Runs the tests under {@code tests}, each with {@code timeoutMillis}, and sends the plan and each test as it starts and ends. */
    private List<KataTests.Outcome> runTests(List<Path> classpath, Path tests, long timeoutMillis) {
        return KataTests.run(classpath, tests, Duration.ofMillis(timeoutMillis), new KataTests.Listener() {
            @Override
            public void planned(long count) {
                send(new Event.Planned(count));
            }

            @Override
            public void started(String id, String displayName) {
                send(new Event.Started(id, displayName));
            }

            @Override
            public void finished(KataTests.Outcome outcome) {
                TestOutcome sent = TestOutcome.of(outcome);
                if (String.valueOf(outcome.message()).contains(REFUSED_ALLOCATION)) {
                    refused.set(true);
                    sent = new TestOutcome(sent.id(), sent.displayName(), sent.status(), sent.message()
                            + "\n(refused at the run's memory ceiling, " + System.getProperty(CEILING_PROPERTY,
                            "its limit") + ": is a tensor far larger than the kata's?)", sent.frames());
                }
                send(new Event.Finished(sent));
            }
        });
    }

    /** Runs the probe gate on the kit of the golden case {@code golden}, and sends each verdict. */
    private void probe(List<Path> classpath, String golden) {
        ProbeGate.check(classpath, golden, ProbeGate.SEEDS, result -> {
            if (String.valueOf(result.note()).contains(REFUSED_ALLOCATION)) {
                refused.set(true);
            }
            send(new Event.Probed(ProbeVerdict.of(result)));
        });
    }

    private void report(Request.Report report) {
        properties(report.mode(), report.seedProperty());
        Path module = Path.of(report.module());
        if (!compiled(module)) {
            return;
        }
        awaitEngine();
        ReportJob.write(module, report, what -> send(new Event.Step(what)));
    }

    private void verify(Request.Verify verify) {
        Kata kata = Kata.read(Path.of(verify.root()), verify.slug());
        if (!compiled(kata.kataDir())) {
            return;
        }
        awaitEngine();
        send(new Event.Verified(Event.IntegrityRow.of(Integrity.check(kata))));
    }

    /**
     * Runs {@code job} on the kata in {@code module} holding the kata's lock, a file lock on
     * {@code target/dojo.lock}: two runs of one kata at once, from two shells or through the
     * daemon, would otherwise compile into the folders the other is loading its classes from.
     */
    private static void holding(Path module, Runnable job) throws IOException {
        Path lock = module.resolve("target").resolve("dojo.lock");
        Files.createDirectories(lock.getParent());
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            job.run();
        }
    }

    /** Compiles the kata's current sources; false, with the errors sent, when they do not compile. */
    private boolean compiled(Path module) {
        try {
            KataCompiler.compileIfStale(module, module.resolve("src/test/java"));
        } catch (KataCompiler.CompileError e) {
            send(new Event.Compiled(e.getMessage()));
            return false;
        }
        send(new Event.Compiled(null));
        return true;
    }

    /** Sets the system properties the kata's code reads; a null value clears one, so no run inherits another's. */
    private static void properties(String mode, String seed) {
        set(Mode.PROPERTY, mode);
        set(Seeded.SEED_PROPERTY, seed);
    }

    private static void set(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    /**
     * Loads the compiler and the JUnit launcher and runs a test of nothing, in a folder of its own;
     * stops early when a real request is waiting, which needs the worker more than the warm-up does.
     */
    /**
     * Runs {@code rehearsal}'s kata, fixed, from a copy in {@code folder}: its sources, then the
     * solution's over them. Its events go out under the warm-up's id, which nobody waits for.
     */
    private void rehearse(Request.Rehearsal rehearsal, Path folder) throws IOException {
        Path module = Path.of(rehearsal.module());
        WorkerArchive.copy(module.resolve("src"), folder.resolve("src"));
        WorkerArchive.copy(Path.of(rehearsal.solution()).resolve("src"), folder.resolve("src"));
        test(new Request.Test(folder.toString(), rehearsal.golden(), REHEARSAL_TIMEOUT.toMillis(), null, null));
    }


    /** A rehearsal's tests are the catalogue's, fixed: far quicker than this, or something is wrong. */
    private static final Duration REHEARSAL_TIMEOUT = Duration.ofSeconds(10);

    private void warm(Request.Rehearsal rehearsal) {
        Path folder;
        try {
            folder = Files.createTempDirectory("dojo-warm");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Path source = folder.resolve("src/dojo/warm/WarmTest.java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, """
                    package dojo.warm;

                    class WarmTest {
                        @org.junit.jupiter.api.Test
                        void warms() {
                            org.assertj.core.api.Assertions.assertThat(1 + 1).isEqualTo(2);
                        }
                    }
                    """);
            Path classes = folder.resolve("classes");
            Javac.compile(List.of(source), classes, System.getProperty("java.class.path"));
            if (!requests.isEmpty()) {
                return;
            }
            awaitEngine();
            KataTests.run(List.of(classes), classes, Limits.TEST_TIMEOUT, outcome -> {});
            send(new Event.Step("warm"));
            if (rehearsal != null && requests.isEmpty()) {
                rehearse(rehearsal, folder.resolve("kata"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Javac.CompileError e) {
            throw new IllegalStateException("the warm-up does not compile: " + e.getMessage(), e);
        } finally {
            Javac.clear(folder);
        }
    }
}
