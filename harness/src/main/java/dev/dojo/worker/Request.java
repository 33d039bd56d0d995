package dev.dojo.worker;

/**
 * What the CLI asks of a worker, one request at a time; the worker answers each with events that
 * end in {@link Event.Done}. Paths travel as strings, so that every request is plain JSON.
 */
public sealed interface Request {

    /**
     * Warm up for a later run: start the engine, compile and run a test of nothing, so that the run
     * only compiles the kata and tests it.
     */
    record Warm(Rehearsal rehearsal) implements Request {
        /** A warm-up with no rehearsal. */
        public Warm() {
            this(null);
        }
    }

    /**
     * A run to rehearse in a warm-up: the tests and probes of the kata in {@code module}, on a copy
     * in which the fixed sources under {@code solution} replace the learner's, so that the real run
     * finds javac, the kata's test classes' dependencies and the probes' code ready. Never the
     * learner's own code: a warm-up must not loop, exit or print.
     */
    record Rehearsal(String module, String golden, String solution) {}

    /**
     * Compile the kata in {@code module} from its current sources, run its tests with
     * {@code timeoutMillis} each, and when they all pass, the probes that apply to the kit of
     * {@code golden}. {@code mode} and {@code seed} (null for the kata's own) are the system
     * properties the kata's tests read.
     */
    record Test(String module, String golden, long timeoutMillis, String mode, Long seed) implements Request {}

    /**
     * Compile the blind drill in {@code folder} from its current sources into a fresh output
     * folder, run its tests with {@code timeoutMillis} each, then every probe that applies to its
     * case, whether the tests pass or fail. {@code mode} and {@code seed} as for {@link Test}.
     */
    record Drill(String folder, long timeoutMillis, String mode, Long seed) implements Request {}

    /**
     * Compile the kata in {@code module} and write the HTML report of its golden case to
     * {@code output}: at {@code seed}, or the seed its tests run at when null; {@code coached} adds
     * the bug classes the evidence fits. {@code mode} and {@code seedProperty} are the system
     * properties the kata's code reads; {@code timeline}, a pair's session on the kata, or null.
     */
    record Report(String module, String golden, String title, Long seed, boolean coached, String output,
                  String mode, String seedProperty, dev.dojo.report.Timeline timeline) implements Request {}

    /** Compile the catalogue kata {@code slug} of the checkout at {@code root} and check it both ways. */
    record Verify(String root, String slug) implements Request {}
}
