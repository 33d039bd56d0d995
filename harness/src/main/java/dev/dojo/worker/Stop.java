package dev.dojo.worker;

/** Why a run, a report or a check ended without its answer, in the words a learner reads; never a success. */
public record Stop(Kind kind, String message) {

    public enum Kind {
        /** The worker exited: the learner's code called System.exit or Runtime.halt. */
        EXITED,
        /** The worker ran out of memory and stopped. */
        OUT_OF_MEMORY,
        /** Nothing was heard from the worker for longer than the run's limit: it was killed. */
        NO_VERDICT_IN_TIME,
        /** A test ran past its timeout: the run stopped there and the worker was killed. */
        TEST_TIMED_OUT,
        /** The worker died of a signal (a crash in native code, or killed from outside), or before it ran the kata's code. */
        CRASHED,
        /** Code outside the tests threw (the golden case, the kit's construction in the probe gate, a report's step). */
        FAILED
    }
}
