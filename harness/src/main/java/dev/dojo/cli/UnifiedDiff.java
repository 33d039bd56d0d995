package dev.dojo.cli;

import dev.dojo.kata.LineDiff;

import java.util.ArrayList;
import java.util.List;

/** Groups a line diff into unified-diff hunks with {@code context} kept lines around each change. */
final class UnifiedDiff {
    private UnifiedDiff() {}

    static List<String> hunks(List<LineDiff.Line> lines, int context) {
        List<String> out = new ArrayList<>();
        int n = lines.size();
        int i = 0;
        while (i < n) {
            if (lines.get(i).kind() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - context);
            int end = i;
            int quiet = 0;
            while (end < n && quiet <= 2 * context) {
                quiet = lines.get(end).kind() == ' ' ? quiet + 1 : 0;
                end++;
            }
            end = Math.min(n, end - Math.max(0, quiet - context));
            int oldStart = 1;
            int newStart = 1;
            for (int k = 0; k < start; k++) {
                oldStart += lines.get(k).kind() != '+' ? 1 : 0;
                newStart += lines.get(k).kind() != '-' ? 1 : 0;
            }
            int oldCount = 0;
            int newCount = 0;
            for (int k = start; k < end; k++) {
                oldCount += lines.get(k).kind() != '+' ? 1 : 0;
                newCount += lines.get(k).kind() != '-' ? 1 : 0;
            }
            out.add("@@ -" + oldStart + "," + oldCount + " +" + newStart + "," + newCount + " @@");
            for (int k = start; k < end; k++) {
                out.add(lines.get(k).kind() + lines.get(k).text());
            }
            i = end;
        }
        return out;
    }
}
