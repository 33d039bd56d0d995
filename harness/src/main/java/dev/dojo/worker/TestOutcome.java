package dev.dojo.worker;

import dev.dojo.drills.Planter;
import dev.dojo.kata.KataTests;

import java.util.ArrayList;
import java.util.List;

/**
 * How one test ended, as the worker sends it: its id (Class#method), its words, its status, the
 * failure's message, and the first stack frames in the kata's or the drill's own code, which
 * point at the learner's line.
 */
public record TestOutcome(String id, String displayName, KataTests.Status status, String message, List<String> frames) {
    /** Frames in classes of these packages and below are the learner's: a kata's, or a drill's. */
    static final List<String> LEARNER_PACKAGES = List.of("dev.dojo.katas.", Planter.PACKAGE + ".");
    static final int FRAMES = 3;

    public boolean passed() {
        return status == KataTests.Status.PASSED;
    }

    static TestOutcome of(KataTests.Outcome outcome) {
        List<String> frames = new ArrayList<>();
        if (outcome.failure() != null) {
            for (StackTraceElement frame : outcome.failure().getStackTrace()) {
                if (learners(frame) && frames.size() < FRAMES) {
                    frames.add(frame.toString());
                }
            }
        }
        return new TestOutcome(outcome.id(), outcome.displayName(), outcome.status(), outcome.message(),
                List.copyOf(frames));
    }

    /** Whether {@code frame} runs the learner's code. */
    static boolean learners(StackTraceElement frame) {
        return LEARNER_PACKAGES.stream().anyMatch(frame.getClassName()::startsWith);
    }
}
