package dev.dojo.worker;

import dev.dojo.kata.Integrity;

import java.util.List;

/** What a worker tells the CLI while it carries out a request: progress, results, then {@link Done}. */
public sealed interface Event {

    /** A one-line notice for the user, such as the engine's one-time extraction of its native library. */
    record Notice(String line) implements Event {}

    /** The kata was compiled from its current sources; {@code errors} is null, or each error as "path:line: message". */
    record Compiled(String errors) implements Event {}

    /** The test run found {@code tests} tests. */
    record Planned(long tests) implements Event {}

    /** A test started. */
    record Started(String id, String displayName) implements Event {}

    /** A test ended. */
    record Finished(TestOutcome outcome) implements Event {}

    /** A probe of the gate gave its verdict. */
    record Probed(ProbeVerdict probe) implements Event {}

    /** A step of a report or an integrity check is done: the run is still making progress. */
    record Step(String what) implements Event {}

    /** One of the first lines the learner's code printed during the request. */
    record Printed(String line) implements Event {}

    /** The kata passed or failed its integrity check: one catalogue row. */
    record Verified(IntegrityRow row) implements Event {}

    /** The PyTorch engine cannot start here: the request cannot run. */
    record NoEngine(String message) implements Event {}

    /** The request could not be carried out: the worker's own exception, by its simple type name. */
    record Failed(String type, String message) implements Event {}

    /**
     * The request is over: {@code linesPrinted} lines of output from the learner's code in all, and
     * whether the worker is {@code clean}: no thread of the request still running, no allocation
     * refused, so it may serve the next request.
     */
    record Done(long linesPrinted, boolean clean) implements Event {}

    /** An integrity report as the CLI prints it. */
    record IntegrityRow(String slug, String row, boolean valid, List<Integrity.WrongFixVerdict> wrongFixes,
                        List<String> problems) {
        static IntegrityRow of(Integrity.Report report) {
            return new IntegrityRow(report.slug(), report.row(), report.valid(), report.wrongFixes(), report.problems());
        }
    }
}
