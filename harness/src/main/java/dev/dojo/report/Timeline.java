package dev.dojo.report;

import java.util.List;

/**
 * A session's timeline for the report page: what happened when, who drove, which runs changed the
 * evidence and which hypothesis was right, then a few lines of summary.
 *
 * @param title   what the session worked on, and who
 * @param entries the events, in order
 * @param summary one line per fact: outcome, runs, hypotheses, hints, time at the keyboard
 */
public record Timeline(String title, List<Entry> entries, List<String> summary) {

    /**
     * One row: {@code time} since the start ("3:12"), {@code who} drove, {@code what} happened, and a
     * {@code mark} ("evidence changed", "right", "solved") or "".
     */
    public record Entry(String time, String who, String what, String mark) {}

    public Timeline {
        entries = List.copyOf(entries);
        summary = List.copyOf(summary);
    }
}
