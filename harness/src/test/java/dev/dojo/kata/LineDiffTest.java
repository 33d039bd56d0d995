package dev.dojo.kata;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineDiffTest {

    private static List<String> render(List<String> before, List<String> after) {
        return LineDiff.diff(before, after).stream().map(l -> l.kind() + l.text()).toList();
    }

    @Test
    @DisplayName("identical files keep every line and change none")
    void identical() {
        List<String> file = List.of("a", "b", "c");

        assertThat(render(file, file)).containsExactly(" a", " b", " c");
        assertThat(LineDiff.changed(file, file)).isZero();
    }

    @Test
    @DisplayName("two empty files have an empty diff")
    void bothEmpty() {
        assertThat(LineDiff.diff(List.of(), List.of())).isEmpty();
        assertThat(LineDiff.changed(List.of(), List.of())).isZero();
    }

    @Test
    @DisplayName("from an empty file every line is added; to an empty file every line is removed")
    void fromAndToEmpty() {
        assertThat(render(List.of(), List.of("a", "b"))).containsExactly("+a", "+b");
        assertThat(render(List.of("a", "b"), List.of())).containsExactly("-a", "-b");
        assertThat(LineDiff.changed(List.of(), List.of("a", "b"))).isEqualTo(2);
        assertThat(LineDiff.changed(List.of("a", "b"), List.of())).isEqualTo(2);
    }

    @Test
    @DisplayName("an inserted line is one change")
    void insert() {
        assertThat(render(List.of("a", "c"), List.of("a", "b", "c"))).containsExactly(" a", "+b", " c");
        assertThat(LineDiff.changed(List.of("a", "c"), List.of("a", "b", "c"))).isEqualTo(1);
    }

    @Test
    @DisplayName("a deleted line is one change")
    void delete() {
        assertThat(render(List.of("a", "b", "c"), List.of("a", "c"))).containsExactly(" a", "-b", " c");
        assertThat(LineDiff.changed(List.of("a", "b", "c"), List.of("a", "c"))).isEqualTo(1);
    }

    @Test
    @DisplayName("a replaced line is two changes, the removed line shown first")
    void replace() {
        assertThat(render(List.of("a", "b", "c"), List.of("a", "x", "c"))).containsExactly(" a", "-b", "+x", " c");
        assertThat(LineDiff.changed(List.of("a", "b", "c"), List.of("a", "x", "c"))).isEqualTo(2);
    }

    @Test
    @DisplayName("a replaced block lists all its removed lines, then all its added lines")
    void replaceBlock() {
        List<String> before = List.of("a", "b", "c", "d");
        List<String> after = List.of("a", "x", "y", "d");

        assertThat(render(before, after)).containsExactly(" a", "-b", "-c", "+x", "+y", " d");
        assertThat(LineDiff.changed(before, after)).isEqualTo(4);
    }

    @Test
    @DisplayName("the diff is minimal: swapped lines keep one and move the other")
    void minimal() {
        assertThat(LineDiff.changed(List.of("a", "b"), List.of("b", "a"))).isEqualTo(2);
        assertThat(LineDiff.changed(List.of("x", "a", "b", "c"), List.of("a", "b", "c", "y"))).isEqualTo(2);
    }

    @Test
    @DisplayName("kept and removed lines give back the file before; kept and added lines the file after")
    void reconstructsBothFiles() {
        List<String> before = List.of("int a;", "a = 1;", "b = a;", "", "return b;", "}");
        List<String> after = List.of("int a;", "int b;", "a = 1;", "b = a + 1;", "", "return b;", "}", "");

        List<LineDiff.Line> diff = LineDiff.diff(before, after);

        assertThat(diff.stream().filter(l -> l.kind() != '+').map(LineDiff.Line::text)).containsExactlyElementsOf(before);
        assertThat(diff.stream().filter(l -> l.kind() != '-').map(LineDiff.Line::text)).containsExactlyElementsOf(after);
        assertThat(LineDiff.changed(before, after)).isEqualTo(4);
    }

    @Test
    @DisplayName("whitespace counts: a re-indented line is a changed line")
    void whitespaceCounts() {
        assertThat(render(List.of("  return x;"), List.of("    return x;")))
                .containsExactly("-  return x;", "+    return x;");
    }
}
