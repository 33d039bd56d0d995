package dev.dojo.kata;

import java.util.ArrayList;
import java.util.List;

/** A line diff by longest common subsequence: small files, exact answers. */
public final class LineDiff {

    /** One line of a unified diff: ' ' kept, '-' removed, '+' added. */
    public record Line(char kind, String text) {}

    private LineDiff() {}

    /**
     * The lines of {@code before} and {@code after}, each marked kept, removed or added; within a
     * change the removed lines come first, as in a unified diff.
     */
    public static List<Line> diff(List<String> before, List<String> after) {
        int n = before.size();
        int m = after.size();
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = before.get(i).equals(after.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<Line> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && before.get(i).equals(after.get(j))) {
                lines.add(new Line(' ', before.get(i++)));
                j++;
            } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
                lines.add(new Line('-', before.get(i++)));
            } else {
                lines.add(new Line('+', after.get(j++)));
            }
        }
        return lines;
    }

    /** Removed plus added lines. */
    public static int changed(List<String> before, List<String> after) {
        int changed = 0;
        for (Line line : diff(before, after)) {
            changed += line.kind() == ' ' ? 0 : 1;
        }
        return changed;
    }
}
