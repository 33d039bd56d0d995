package dev.dojo.worker;

import dev.dojo.engine.Engines;
import dev.dojo.kata.Integrity;
import dev.dojo.kata.KataTests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The CLI's workers: each request (a kata's or a drill's test run, a report, a check) runs in a
 * worker JVM under a watchdog, and ends in its answer or in a {@link Stop} that says what
 * happened instead. A worker whose request ended cleanly
 * serves the next one (in a fresh class loader, from freshly compiled classes); one that timed
 * out, exited, ran out of memory or crashed is killed, never reused. With spares (watch, and the
 * daemon that serves {@code ./kata} between calls), one more worker is started and warmed ahead of
 * time, to take over when the current one must go.
 */
public final class Workers implements AutoCloseable {
    private static final AtomicLong IDS = new AtomicLong();
    private static final Workers SHARED = new Workers(false, false);

    /** The runs a worker serves before it is replaced by a fresh one. */
    static final int RUNS_PER_WORKER = 100;
    /** A hidden knob for tests: the runs a worker serves. */
    public static final String RUNS_PROPERTY = "dojo.worker.runs";

    private final boolean longLived;
    private final boolean spares;
    private WorkerProcess ready;
    private WorkerProcess spare;

    private Workers(boolean longLived, boolean spares) {
        this.longLived = longLived;
        this.spares = spares;
    }

    /**
     * This process's workers for one-shot commands: started for quick start-up, no spare; a worker
     * whose run ended cleanly serves the next call in this process, if there is one.
     */
    public static Workers shared() {
        return SHARED;
    }

    /** Workers for a long session (watch): tuned for many runs, with a spare kept warm by {@link #keepSpare()}. */
    public static Workers warm() {
        return new Workers(true, true);
    }

    /**
     * Workers for the daemon, which serves one-shot commands for a long time: quick to start like
     * {@link #shared()}'s (the full JIT measured no faster over a pair's runs, and slower to start),
     * with a spare kept warm by {@link #keepSpare()}.
     */
    public static Workers forDaemon() {
        return new Workers(false, true);
    }

    /** The answer to a report or verify request: compile errors, or what the learner's code printed, how it ended, and the integrity row. */
    public record Answer(String compileErrors, Output output, Stop stop, Event.IntegrityRow row) {}

    /**
     * What a job is called in a stop's message: "the test run", what it did not get to, "the tests
     * finished", and whose code it runs, "the kata".
     */
    private record Job(String name, String unfinished, String code) {}

    private static final Job TEST_RUN = new Job("the test run", "the tests finished", "the kata");
    private static final Job DRILL_RUN = new Job("the test run", "the tests finished", "the drill");
    private static final Job REPORT = new Job("the report", "the report was written", "the kata");
    private static final Job CHECK = new Job("the integrity check", "the check finished", "the kata");

    /**
     * Compiles and tests the kata {@code request} names, then runs its probe gate if every test
     * passes; {@code live} hears each outcome as it happens and {@code notices} the engine's
     * one-line notices. A test past its timeout stops the run there.
     */
    public Verdict test(Request.Test request, Consumer<TestOutcome> live, Consumer<String> notices) {
        return run(request, TEST_RUN, request.timeoutMillis(), live, notices);
    }

    /**
     * Compiles and tests the blind drill {@code request} names, then runs every probe that applies,
     * as {@link #test} does a kata's, under the same watchdog and with the same stops.
     */
    public Verdict drill(Request.Drill request, Consumer<TestOutcome> live, Consumer<String> notices) {
        return run(request, DRILL_RUN, request.timeoutMillis(), live, notices);
    }

    private Verdict run(Request request, Job job, long timeoutMillis, Consumer<TestOutcome> live,
                        Consumer<String> notices) {
        long start = System.nanoTime();
        TestRun run = new TestRun(live);
        Duration silence = Limits.standard().silence(Duration.ofMillis(timeoutMillis));
        Ending ending = converse(request, job, silence, run, notices);
        return new Verdict(List.copyOf(run.outcomes), List.copyOf(run.probes), run.compileErrors,
                run.output(ending), ending.stop(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** Writes the report {@code request} asks for. */
    public Answer report(Request.Report request, Consumer<String> notices) {
        Collected collected = new Collected();
        Ending ending = converse(request, REPORT, Limits.standard().silence(Limits.TEST_TIMEOUT), collected, notices);
        return new Answer(collected.compileErrors, collected.output(ending), ending.stop(), null);
    }

    /** Checks the catalogue kata {@code request} names both ways. */
    public Answer verify(Request.Verify request, Consumer<String> notices) {
        Collected collected = new Collected();
        // the check runs many test runs, each test with its own timeout, and says nothing in between
        Duration silence = Limits.standard().silence(Integrity.TEST_TIMEOUT.multipliedBy(10));
        Ending ending = converse(request, CHECK, silence, collected, notices);
        return new Answer(collected.compileErrors, collected.output(ending), ending.stop(), collected.row);
    }

    /**
     * Starts a worker now, unless one is ready, so that its start-up overlaps with the caller's
     * own (reading the command line, the kata, the progress): the next request takes it.
     */
    public synchronized void prestart() {
        if (ready == null || !ready.alive()) {
            ready = WorkerProcess.start(Limits.standard(), longLived);
        }
    }

    /** Starts a spare worker and warms it, unless one is waiting: call it while the pair reads a result. */
    public void keepSpare() {
        keepSpare(null);
    }

    /** Starts a spare worker and warms it with {@code rehearsal} (if not null), unless one is waiting. */
    public synchronized void keepSpare(Request.Rehearsal rehearsal) {
        if (spares && (spare == null || !spare.alive())) {
            spare = WorkerProcess.start(Limits.standard(), longLived);
            spare.send(IDS.incrementAndGet(), new Request.Warm(rehearsal));
        }
    }

    /** Kills every worker kept here. */
    @Override
    public synchronized void close() {
        for (WorkerProcess worker : new WorkerProcess[] {ready, spare}) {
            if (worker != null) {
                worker.kill();
            }
        }
        ready = null;
        spare = null;
    }

    /** A worker for the next request: the one whose last request ended cleanly, else the spare, else a new one. */
    private synchronized WorkerProcess take() {
        WorkerProcess worker = null;
        if (ready != null && ready.alive()) {
            worker = ready;
        } else if (spare != null && spare.alive()) {
            worker = spare;
            spare = null;
        }
        ready = null;
        return worker != null ? worker : WorkerProcess.start(Limits.standard(), longLived);
    }

    /**
     * Keeps {@code worker}, whose run ended cleanly, for the next request, unless it has served
     * {@link #RUNS_PER_WORKER} runs: then it goes, and the spare takes over. (A worker's memory creeps
     * up over hundreds of runs, native allocations and each run's class loader; measured over 1,000
     * watch saves it went from 406 MB at 100 to 520 MB at 1,000.)
     */
    private synchronized void keep(WorkerProcess worker) {
        if (ready != null) {
            ready.kill();
        }
        ready = worker.served() < Integer.getInteger(RUNS_PROPERTY, RUNS_PER_WORKER) ? worker : null;
        if (ready == null) {
            worker.kill();
        }
    }

    /** Hears one request's events; a non-null {@link Stop} ends the request there, and the worker is killed. */
    private interface Handler {
        Stop on(Event event);

        /** Where the request is, for the message of a watchdog's stop: " (in test X)". */
        default String where() {
            return "";
        }
    }

    /** How a request ended: its {@link Event.Done}, or a stop. */
    private record Ending(Event.Done done, Stop stop) {}

    /**
     * Sends {@code request} to a worker and hears its events until it is done, exits, or is silent
     * for longer than {@code silence} once the kata is compiled (before that, start-up's limit).
     */
    private Ending converse(Request request, Job job, Duration silence, Handler handler, Consumer<String> notices) {
        Limits limits = Limits.standard();
        WorkerProcess worker = take();
        long id = IDS.incrementAndGet();
        worker.send(id, request);
        boolean compiled = false;
        long deadline = System.nanoTime() + limits.startup().toNanos();
        try {
            while (true) {
                WorkerProcess.Received received = worker.next((deadline - System.nanoTime()) / 1_000_000);
                if (received == null) {
                    worker.kill();
                    return new Ending(null, compiled ? silent(silence, handler.where())
                            : new Stop(Stop.Kind.NO_VERDICT_IN_TIME, "the worker did not start and compile "
                            + job.code() + " within " + limits.startup().toSeconds() + " s"));
                }
                if (received instanceof WorkerProcess.Exited exited) {
                    worker.kill();
                    return new Ending(null, compiled ? exited(exited, job, limits) : failedToStart(exited, job));
                }
                WorkerProcess.Message message = (WorkerProcess.Message) received;
                Event event = message.event();
                if (event instanceof Event.Notice notice) {
                    notices.accept(notice.line());
                    continue;
                }
                if (message.id() != id) {
                    continue;                            // a spare's warm-up, still being answered
                }
                if (event instanceof Event.Done done) {
                    if (done.clean()) {
                        keep(worker);
                    } else {
                        worker.kill();
                    }
                    return new Ending(done, null);
                }
                if (event instanceof Event.NoEngine noEngine) {
                    worker.kill();
                    throw new Engines.MissingNativeLibraryException(noEngine.message());
                }
                if (event instanceof Event.Failed failed) {
                    worker.kill();
                    return new Ending(null, new Stop(Stop.Kind.FAILED, job.name() + " could not finish: "
                            + failed.type() + ": " + failed.message()));
                }
                Stop stop = handler.on(event);
                if (stop != null) {
                    worker.kill();
                    return new Ending(null, stop);
                }
                compiled |= event instanceof Event.Compiled;
                if (compiled && !(event instanceof Event.Printed)) {
                    deadline = System.nanoTime() + silence.toNanos();
                }
            }
        } catch (InterruptedException e) {
            worker.kill();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the worker", e);
        } catch (RuntimeException | Error e) {
            worker.kill();
            throw e;
        }
    }

    private static Stop silent(Duration silence, String where) {
        return new Stop(Stop.Kind.NO_VERDICT_IN_TIME, "no verdict within " + silence.toSeconds()
                + " s: is there an endless loop?" + where);
    }

    /** A worker that died before any of the learner's code ran: the worker's own failure, with its last words. */
    private static Stop failedToStart(WorkerProcess.Exited exited, Job job) {
        return new Stop(Stop.Kind.CRASHED, "the worker stopped (exit code " + exited.code() + ") before it ran "
                + job.code() + "'s code" + lastWords(exited.lastLines()));
    }

    private static String lastWords(List<String> last) {
        return last.isEmpty() ? "" : ":\n" + String.join("\n", last.subList(Math.max(0, last.size() - 5), last.size()))
                .indent(2).stripTrailing();
    }

    /** Why a worker exited: out of memory, a signal, or an exit call in the learner's code. */
    private static Stop exited(WorkerProcess.Exited exited, Job job, Limits limits) {
        int code = exited.code();
        if (exited.lastLines().stream().anyMatch(line -> line.contains("java.lang.OutOfMemoryError"))) {
            return new Stop(Stop.Kind.OUT_OF_MEMORY, "the component ran out of memory (ceiling: " + limits.ceiling()
                    + "): the worker stopped before " + job.unfinished() + ". Is a tensor or an array far larger"
                    + " than the kata's?");
        }
        if (code > 128 && code < 160) {
            return new Stop(Stop.Kind.CRASHED, "the worker crashed (signal " + (code - 128) + ") before "
                    + job.unfinished() + lastWords(exited.lastLines()));
        }
        return new Stop(Stop.Kind.EXITED, "the component ended " + job.name() + ": the worker exited with code " + code
                + " before " + job.unfinished() + " (does it call System.exit or Runtime.halt?)");
    }

    /** What every request collects: compile errors and the learner's first printed lines. */
    private static class Collected implements Handler {
        String compileErrors;
        final List<String> shown = new ArrayList<>();
        Event.IntegrityRow row;

        @Override
        public Stop on(Event event) {
            if (event instanceof Event.Compiled compiled) {
                compileErrors = compiled.errors();
            } else if (event instanceof Event.Printed printed) {
                shown.add(printed.line());
            } else if (event instanceof Event.Verified verified) {
                row = verified.row();
            }
            return null;
        }

        Output output(Ending ending) {
            return ending.done() != null ? new Output(List.copyOf(shown), ending.done().linesPrinted(), true)
                    : new Output(List.copyOf(shown), shown.size(), false);
        }
    }

    /** A test run's outcomes and probe verdicts, as they come. */
    private static final class TestRun extends Collected {
        final Consumer<TestOutcome> live;
        final List<TestOutcome> outcomes = new ArrayList<>();
        final List<ProbeVerdict> probes = new ArrayList<>();
        long planned = -1;
        String running;

        TestRun(Consumer<TestOutcome> live) {
            this.live = live;
        }

        @Override
        public Stop on(Event event) {
            if (event instanceof Event.Planned plan) {
                planned = plan.tests();
            } else if (event instanceof Event.Started started) {
                running = started.displayName();
            } else if (event instanceof Event.Finished finished) {
                running = null;
                outcomes.add(finished.outcome());
                live.accept(finished.outcome());
                long notRun = planned - outcomes.size();
                if (finished.outcome().status() == KataTests.Status.TIMED_OUT && notRun > 0) {
                    return new Stop(Stop.Kind.TEST_TIMED_OUT, "the run stopped there: " + notRun + " more test"
                            + (notRun == 1 ? "" : "s") + " did not run (a test that never returns goes on running"
                            + " in the background, slowing and skewing the rest)");
                }
            } else if (event instanceof Event.Probed probed) {
                probes.add(probed.probe());
            }
            return super.on(event);
        }

        @Override
        public String where() {
            if (running != null) {
                return " (in \"" + running + "\")";
            }
            if (planned < 0 || outcomes.size() < planned) {
                return "";
            }
            return outcomes.stream().allMatch(TestOutcome::passed) ? " (while checking the probes, after the tests passed)"
                    : " (while checking the probes, after the tests)";
        }
    }
}
