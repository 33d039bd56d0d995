package dev.dojo.session;

import dev.dojo.report.Timeline;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

// Contract: the retro lists every event with its time since the start and its driver; runs with the
// same evidence fold into one row; a run whose evidence changed says what now passes or fails; the
// right hypothesis is marked only when judged; the summary gives the outcome, runs and changes, the
// first right hypothesis, hints, and each driver's time at the keyboard.
class RetroTest {
    private static final Instant T0 = Instant.parse("2025-01-06T10:00:00Z");

    @TempDir
    Path sessions;

    private Session session() {
        Session s = Session.start(sessions, "drill-r", "drill r", List.of("Ana", "Ben"), Duration.ofMinutes(5), T0);
        s.ran(9, 3, List.of("a", "b", "c"), false, T0.plusSeconds(10));
        s.guess("the causal mask is off by one", T0.plusSeconds(100));
        s.ran(9, 3, List.of("a", "b", "c"), false, T0.plusSeconds(120));
        s.ran(9, 3, List.of("a", "b", "c"), false, T0.plusSeconds(130));
        s.dueSwaps(T0.plusSeconds(301));
        s.hint(1, T0.plusSeconds(310));
        s.ran(11, 1, List.of("c"), false, T0.plusSeconds(400));
        s.ran(12, 0, List.of(), true, T0.plusSeconds(500));
        s.revealed("solved", T0.plusSeconds(501));
        return s;
    }

    @Test
    @DisplayName("a timeline of what happened, with unchanged runs folded and changed evidence marked")
    void timeline() {
        Retro retro = Retro.of(session(), "Retro · drill r", OptionalInt.of(1), "it names the step", List.of(),
                T0.plusSeconds(600));

        assertThat(retro.timeline().entries()).extracting(Timeline.Entry::time, Timeline.Entry::who, Timeline.Entry::what,
                Timeline.Entry::mark).containsExactly(
                org.assertj.core.groups.Tuple.tuple("0:00", "Ana", "started drill r: Ana drives, Ben navigates, swap every 5:00", ""),
                org.assertj.core.groups.Tuple.tuple("0:10", "Ana", "run 1: 3 of 12 tests fail", ""),
                org.assertj.core.groups.Tuple.tuple("1:40", "Ana", "hypothesis 1: “the causal mask is off by one”", "right"),
                org.assertj.core.groups.Tuple.tuple("2:00", "Ana", "runs 2–3: the same evidence", ""),
                org.assertj.core.groups.Tuple.tuple("5:00", "Ben", "swap: Ben drives now", ""),
                org.assertj.core.groups.Tuple.tuple("5:10", "Ben", "read hint 1", ""),
                org.assertj.core.groups.Tuple.tuple("6:40", "Ben", "run 4: 1 of 12 tests fail (now passes: a, b)",
                        "evidence changed"),
                org.assertj.core.groups.Tuple.tuple("8:20", "Ben", "run 5: every test passes and every probe holds (now passes: c)",
                        "solved"),
                org.assertj.core.groups.Tuple.tuple("8:21", "", "the bug revealed", ""));
    }

    @Test
    @DisplayName("a summary: outcome, runs and changes, the first right hypothesis, hints, time at the keyboard")
    void summary() {
        Retro retro = Retro.of(session(), "Retro · drill r", OptionalInt.of(1), "it names the step",
                List.of("The bug: x."), T0.plusSeconds(600));

        assertThat(retro.timeline().summary()).containsExactly("Outcome: solved in 8:20.",
                "Runs: 5; the evidence changed 2 times, 2 unchanged.",
                "Hypotheses: 1; the first right one: 1, 1:40 after the start (it names the step).",
                "Hints read: 1.", "At the keyboard: Ana 5:00, Ben 3:20.", "The bug: x.");
        assertThat(retro.text()).startsWith("Retro · drill r\n\n").contains("← right", "← solved", "Outcome: solved in 8:20.");
    }

    @Test
    @DisplayName("before the bug is revealed, no hypothesis is marked and the summary says why")
    void nothingJudgedBeforeTheReveal() {
        Session s = Session.start(sessions, "drill-q", "drill q", List.of(), null, T0);
        s.guess("the softmax axis", T0.plusSeconds(30));

        Retro retro = Retro.of(s, "Retro · drill q", OptionalInt.empty(), "", List.of(), T0.plusSeconds(90));

        assertThat(retro.timeline().entries()).extracting(Timeline.Entry::mark).containsOnly("");
        assertThat(retro.timeline().summary()).contains("Outcome: open for 1:30.",
                "Hypotheses: 1; which was right is shown once the bug is revealed.");
        assertThat(retro.text()).doesNotContain("At the keyboard");
    }

    @Test
    @DisplayName("a give-up ends the clock; no right hypothesis says none was right")
    void gaveUp() {
        Session s = Session.start(sessions, "drill-g", "drill g", List.of(), null, T0);
        s.guess("something else", T0.plusSeconds(30));
        s.revealed("gave up", T0.plusSeconds(700));

        Retro retro = Retro.of(s, "Retro · drill g", OptionalInt.of(0), "none names the step", List.of(),
                T0.plusSeconds(900));

        assertThat(retro.timeline().summary()).contains("Outcome: gave up after 11:40.",
                "Hypotheses: 1; none was right (none names the step).");
    }

    @Test
    @DisplayName("a run whose tests fail as before but whose probes changed changed the evidence")
    void probesAreEvidence() {
        Session s = Session.start(sessions, "drill-p", "drill p", List.of(), null, T0);
        s.ran(1, 5, List.of("t1", "t2", "relative position ✗"), false, T0.plusSeconds(10));
        s.ran(1, 5, List.of("t1", "t2", "causality ✗"), false, T0.plusSeconds(20));

        Retro retro = Retro.of(s, "Retro · drill p", OptionalInt.empty(), "", List.of(), T0.plusSeconds(30));

        assertThat(retro.timeline().entries().get(2).what()).isEqualTo(
                "run 2: 5 of 6 tests fail, 1 probe fails (now holds: relative position; now breaks: causality)");
        assertThat(retro.timeline().entries().get(2).mark()).isEqualTo("evidence changed");
    }

    @Test
    @DisplayName("clock times: m:ss, then h:mm:ss from an hour")
    void clock() {
        assertThat(Retro.clock(Duration.ofSeconds(5))).isEqualTo("0:05");
        assertThat(Retro.clock(Duration.ofSeconds(754))).isEqualTo("12:34");
        assertThat(Retro.clock(Duration.ofSeconds(3 * 3600 + 62))).isEqualTo("3:01:02");
    }
}
