package dev.dojo.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One thing that happened in a session, one line of its log. Fields a kind does not use are null.
 *
 * @param at      when, as an ISO-8601 instant
 * @param kind    what: start, swap, guess, hint, run, right, revealed
 * @param who     who drove the keyboard then (a guess, a swap: the new driver), or null when solo
 * @param text    a hypothesis's words; how a drill was revealed ("solved", "gave up"); a start's target
 * @param number  a hypothesis's or hint's number; for "right", the hypothesis the pair says was right (0: none)
 * @param passed  a run's passing tests
 * @param failed  a run's failing tests
 * @param failing a run's failing tests and probes, by name: the evidence
 * @param solved  whether a run was solved: every test and probe passes
 * @param pair    a start's names, driver first
 * @param swapSeconds a start's swap interval, or null for none
 */
public record Event(String at, String kind, String who, String text, Integer number, Integer passed, Integer failed,
                    List<String> failing, Boolean solved, List<String> pair, Long swapSeconds) {

    public static final String START = "start";
    public static final String SWAP = "swap";
    public static final String GUESS = "guess";
    public static final String HINT = "hint";
    public static final String RUN = "run";
    public static final String RIGHT = "right";
    public static final String REVEALED = "revealed";

    static Event start(Instant at, String target, List<String> pair, Duration swap) {
        return new Event(at.toString(), START, pair.isEmpty() ? null : pair.get(0), target, null, null, null, null, null,
                pair.isEmpty() ? null : List.copyOf(pair), swap == null ? null : swap.toSeconds());
    }

    static Event swap(Instant at, String driver) {
        return new Event(at.toString(), SWAP, driver, null, null, null, null, null, null, null, null);
    }

    static Event guess(Instant at, String driver, int number, String hypothesis) {
        return new Event(at.toString(), GUESS, driver, hypothesis, number, null, null, null, null, null, null);
    }

    static Event hint(Instant at, String driver, int number) {
        return new Event(at.toString(), HINT, driver, null, number, null, null, null, null, null, null);
    }

    static Event run(Instant at, String driver, long passed, long failed, List<String> failing, boolean solved) {
        return new Event(at.toString(), RUN, driver, null, null, Math.toIntExact(passed), Math.toIntExact(failed),
                List.copyOf(failing), solved, null, null);
    }

    static Event right(Instant at, int number) {
        return new Event(at.toString(), RIGHT, null, null, number, null, null, null, null, null, null);
    }

    static Event revealed(Instant at, String how) {
        return new Event(at.toString(), REVEALED, null, how, null, null, null, null, null, null, null);
    }

    public Instant instant() {
        return Instant.parse(at);
    }

    public boolean is(String eventKind) {
        return kind.equals(eventKind);
    }
}
