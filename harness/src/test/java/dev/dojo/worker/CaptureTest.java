package dev.dojo.worker;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureTest {
    private final Capture capture = new Capture();
    private final PrintStream out = capture.stream();
    private final List<String> shown = new ArrayList<>();

    @Test
    @DisplayName("of many lines, the first 40 are passed on and all are counted")
    void firstLinesAndACount() {
        capture.begin(shown::add);
        for (int i = 0; i < 100_000; i++) {
            out.println("line " + i);
        }

        assertThat(capture.end()).isEqualTo(100_000);
        assertThat(shown).hasSize(Capture.SHOWN).startsWith("line 0", "line 1").endsWith("line 39");
    }

    @Test
    @DisplayName("a very long line is cut to the width, and says so")
    void longLine() {
        capture.begin(shown::add);
        out.println("x".repeat(1_000_000));

        assertThat(capture.end()).isEqualTo(1);
        assertThat(shown).containsExactly("x".repeat(Capture.WIDTH) + " …");
    }

    @Test
    @DisplayName("an unfinished last line counts, and Windows line ends are not kept")
    void lastLineAndCarriageReturns() {
        capture.begin(shown::add);
        out.print("first\r\nsecond");

        assertThat(capture.end()).isEqualTo(2);
        assertThat(shown).containsExactly("first", "second");
    }

    @Test
    @DisplayName("output between requests (a thread left over) is dropped, and not counted in the next request")
    void betweenRequests() {
        out.println("before");
        capture.begin(shown::add);
        out.println("during");
        capture.end();
        out.println("after");

        capture.begin(shown::add);
        assertThat(capture.end()).isZero();
        assertThat(shown).containsExactly("during");
    }
}
