package dev.dojo.worker;

import java.util.List;

/**
 * What the learner's code printed during a run: the first lines, and how many there were in all
 * ({@code complete} is false when the run was stopped before the worker could count them).
 */
public record Output(List<String> shown, long lines, boolean complete) {
    public static final Output NONE = new Output(List.of(), 0, true);

    /** The lines printed but not shown. */
    public long more() {
        return Math.max(0, lines - shown.size());
    }

    public boolean isEmpty() {
        return shown.isEmpty() && lines == 0;
    }
}
