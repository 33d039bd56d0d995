package dev.dojo.cli;

import dev.dojo.diagnosis.Mode;
import dev.dojo.kata.Kata;
import dev.dojo.worker.Limits;
import dev.dojo.worker.Request;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The options of every command that runs a kata's tests: test and watch. */
final class RunOptions {
    /** The longest a test may be given: a day is already far past any kata. */
    static final long MAX_TIMEOUT_SECONDS = 24 * 3600;

    @Option(names = "--interview", description = "evidence only, a neutral title, no topics or hints, and a timer")
    boolean interview;

    @Option(names = "--coach", description = "after the evidence, the bug classes it fits (also on after the third hint)")
    boolean coach;

    @Option(names = "--seed", paramLabel = "N", description = "rerun the tests at seed N (a failure prints its seed)")
    Long seed;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "seconds each test may run (default: ${DEFAULT-VALUE})")
    long timeoutSeconds = Limits.TEST_TIMEOUT.toSeconds();

    /** The timeout, once checked: a whole number of seconds from 1 to a day. */
    Duration timeout() {
        return timeout(timeoutSeconds);
    }

    /** A --timeout of {@code seconds}, once checked: a whole number of seconds from 1 to a day. */
    static Duration timeout(long seconds) {
        if (seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
            throw new UserError("--timeout must be from 1 to " + MAX_TIMEOUT_SECONDS + " seconds, not " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    /** Coach mode: asked for, or earned by reading every hint; never in an interview. */
    Mode mode(int hintsShown, int hintCount) {
        if (interview) {
            if (coach) {
                throw new UserError("--interview shows the evidence only; it cannot be combined with --coach");
            }
            return Mode.EVIDENCE;
        }
        return coached(coach, hintsShown, hintCount) ? Mode.COACH : Mode.EVIDENCE;
    }

    /** The one rule of coach mode, for every kata command: asked for, or earned by reading every hint. */
    static boolean coached(boolean asked, int hintsShown, int hintCount) {
        return asked || (hintCount > 0 && hintsShown >= hintCount);
    }

    /**
     * The request that runs {@code kata}'s tests with these options: the timeout, and what the
     * kata's tests read in the worker, the diagnosis {@code mode} and the seed (none unless asked
     * for, so a run never inherits an earlier one's).
     */
    Request.Test request(Kata kata, Mode mode) {
        return new Request.Test(kata.kataDir().toString(), kata.golden(), timeout().toMillis(),
                mode.property(), seed);
    }
}
