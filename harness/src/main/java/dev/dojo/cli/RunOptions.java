package dev.dojo.cli;

import dev.dojo.diagnosis.Mode;
import dev.dojo.tensor.Seeded;
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
    long timeoutSeconds = KataRunner.TEST_TIMEOUT.toSeconds();

    /** The timeout, once checked: a whole number of seconds from 1 to a day. */
    Duration timeout() {
        if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            throw new UserError("--timeout must be from 1 to " + MAX_TIMEOUT_SECONDS + " seconds, not " + timeoutSeconds);
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    /** Coach mode: asked for, or earned by reading every hint; never in an interview. */
    Mode mode(int hintsShown, int hintCount) {
        if (interview) {
            if (coach) {
                throw new UserError("--interview shows the evidence only; it cannot be combined with --coach");
            }
            return Mode.EVIDENCE;
        }
        return coach || (hintCount > 0 && hintsShown >= hintCount) ? Mode.COACH : Mode.EVIDENCE;
    }

    /**
     * Sets what the kata's tests read when they run in this JVM: the diagnosis mode and the seed
     * (cleared when none was asked for, so a watch or a test run never inherits an earlier one).
     */
    void applyTo(Mode mode) {
        System.setProperty(Mode.PROPERTY, mode == Mode.COACH ? "coach" : "evidence");
        if (seed == null) {
            System.clearProperty(Seeded.SEED_PROPERTY);
        } else {
            System.setProperty(Seeded.SEED_PROPERTY, Long.toString(seed));
        }
    }
}
