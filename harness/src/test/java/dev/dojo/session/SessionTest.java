package dev.dojo.session;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

// Contract: a session is an append-only log that starts current; it numbers hypotheses, logs hints,
// runs, the pair's say and the reveal; swaps fall due at each interval from the latest start, each
// logged once at the time it fell due; a solo session never swaps; a torn line does not spoil the log.
class SessionTest {
    private static final Instant T0 = Instant.parse("2025-01-06T10:00:00Z");

    @TempDir
    Path sessions;

    @Test
    @DisplayName("a started session is current, names its target and pair, and the driver comes first")
    void start() {
        Session s = Session.start(sessions, "drill-abc123", "drill abc123", List.of("Ana", "Ben"), Duration.ofMinutes(7), T0);

        assertThat(Session.current(sessions)).map(Session::id).contains("drill-abc123");
        assertThat(s.target()).isEqualTo("drill abc123");
        assertThat(s.started()).isEqualTo(T0);
        assertThat(s.pair()).containsExactly("Ana", "Ben");
        assertThat(s.driver()).isEqualTo("Ana");
        assertThat(s.navigator()).isEqualTo("Ben");
        assertThat(s.swap()).contains(Duration.ofMinutes(7));
    }

    @Test
    @DisplayName("swaps fall due at each interval, each logged once, at the time it fell due")
    void swapsFallDue() {
        Session s = Session.start(sessions, "kata-x", "kata x", List.of("Ana", "Ben"), Duration.ofMinutes(7), T0);

        assertThat(s.dueSwaps(T0.plusSeconds(6 * 60))).isEmpty();
        List<Event> due = s.dueSwaps(T0.plusSeconds(15 * 60));
        List<Event> again = s.dueSwaps(T0.plusSeconds(15 * 60));

        assertThat(due).extracting(Event::who).containsExactly("Ben", "Ana");
        assertThat(due).extracting(Event::instant).containsExactly(T0.plusSeconds(7 * 60), T0.plusSeconds(14 * 60));
        assertThat(again).isEmpty();
        assertThat(s.driver()).isEqualTo("Ana");
        assertThat(s.navigator()).isEqualTo("Ben");
    }

    @Test
    @DisplayName("a solo session has no driver and never swaps")
    void solo() {
        Session s = Session.start(sessions, "kata-y", "kata y", List.of(), null, T0);

        assertThat(s.driver()).isNull();
        assertThat(s.swap()).isEmpty();
        assertThat(s.dueSwaps(T0.plusSeconds(3600))).isEmpty();
    }

    @Test
    @DisplayName("hypotheses are numbered from 1 with their driver; hints, runs, the pair's say and the reveal are logged")
    void logsWhatHappened() {
        Session s = Session.start(sessions, "drill-d", "drill d", List.of("Ana", "Ben"), Duration.ofMinutes(7), T0);

        int first = s.guess("the mask hides queries", T0.plusSeconds(60));
        int second = s.guess("softmax over the wrong axis", T0.plusSeconds(120));
        s.hint(1, T0.plusSeconds(130));
        s.ran(10, 2, List.of("a", "b"), false, T0.plusSeconds(140));
        s.ran(12, 0, List.of(), true, T0.plusSeconds(200));
        s.revealed("solved", T0.plusSeconds(201));
        s.right(2, T0.plusSeconds(210));

        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        assertThat(s.guesses()).extracting(Event::text, Event::who)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("the mask hides queries", "Ana"),
                        org.assertj.core.groups.Tuple.tuple("softmax over the wrong axis", "Ana"));
        assertThat(s.hints()).isEqualTo(1);
        assertThat(s.firstSolved()).map(Event::instant).contains(T0.plusSeconds(200));
        assertThat(s.revelation()).map(Event::text).contains("solved");
        assertThat(s.saidRight()).hasValue(2);
    }

    @Test
    @DisplayName("a start with a new pair on a running session gives new roles from then on; without one it continues")
    void restart() {
        Session.start(sessions, "drill-e", "drill e", List.of("Ana", "Ben"), Duration.ofMinutes(7), T0);
        Session again = Session.start(sessions, "drill-e", "drill e", List.of(), null, T0.plusSeconds(60));
        assertThat(again.driver()).isEqualTo("Ana");

        Session swapped = Session.start(sessions, "drill-e", "drill e", List.of("Cy", "Ana"), Duration.ofMinutes(5),
                T0.plusSeconds(120));

        assertThat(swapped.driver()).isEqualTo("Cy");
        assertThat(swapped.swap()).contains(Duration.ofMinutes(5));
        assertThat(swapped.started()).isEqualTo(T0);
        assertThat(swapped.dueSwaps(T0.plusSeconds(120 + 5 * 60))).extracting(Event::who).containsExactly("Ana");
    }

    @Test
    @DisplayName("a line cut short by a crash is skipped; the rest of the log reads")
    void tornLine() throws IOException {
        Session s = Session.start(sessions, "kata-z", "kata z", List.of(), null, T0);
        s.guess("first", T0.plusSeconds(1));
        Files.writeString(sessions.resolve("kata-z.jsonl"), "{\"at\":\"2025-01-06T10:00:0", StandardOpenOption.APPEND);
        Files.writeString(sessions.resolve("kata-z.jsonl"), "\n", StandardOpenOption.APPEND);
        s.guess("second", T0.plusSeconds(2));

        assertThat(s.guesses()).extracting(Event::text).containsExactly("first", "second");
    }

    @Test
    @DisplayName("no current session before one starts, and a name with a path in it finds none")
    void noSession() {
        assertThat(Session.current(sessions)).isEmpty();
        assertThat(Session.named(sessions, "../etc/passwd")).isEmpty();
    }
}
