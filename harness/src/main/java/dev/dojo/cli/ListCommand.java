package dev.dojo.cli;

import dev.dojo.kata.Kata;
import dev.dojo.session.Retro;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "list", description = "The catalogue: difficulty, topics, time box and your status.")
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @picocli.CommandLine.Option(names = "--interview", description = "slugs, difficulty and time box only: no titles or topics")
    boolean interview;

    @Override
    public Integer call() {
        Terminal t = dojo.terminal;
        Progress progress = dojo.workspace.progress();
        List<Kata> katas = dojo.workspace.katas();
        int slugWidth = Math.max(4, katas.stream().mapToInt(k -> k.slug().length()).max().orElse(0));
        int titleWidth = Math.max(5, katas.stream().mapToInt(k -> k.title().length()).max().orElse(0));
        int topicsWidth = Math.max(6, katas.stream().mapToInt(k -> String.join(", ", k.topics()).length()).max().orElse(0));
        if (interview) {
            String format = "%-" + slugWidth + "s  %-10s  %-8s  %s%n";
            t.out().printf(Locale.ROOT, format, "kata", "difficulty", "time box", "status");
            for (Kata k : katas) {
                t.out().printf(Locale.ROOT, format, k.slug(), stars(k.difficulty()), k.timebox(),
                        status(progress.entries().get(k.slug())));
            }
            return 0;
        }
        String format = "%-" + slugWidth + "s  %-" + titleWidth + "s  %-10s  %-8s  %-" + topicsWidth + "s  %s%n";
        t.out().printf(Locale.ROOT, format, "kata", "title", "difficulty", "time box", "topics", "status");
        for (Kata k : katas) {
            Progress.Entry e = progress.entries().get(k.slug());
            t.out().printf(Locale.ROOT, format, k.slug(), k.title(), stars(k.difficulty()), k.timebox(),
                    String.join(", ", k.topics()), status(e));
        }
        return 0;
    }

    static String status(Progress.Entry e) {
        if (e == null) {
            return Progress.Status.NOT_STARTED.words;
        }
        return e.status() == Progress.Status.SOLVED ? "solved in " + clock(Duration.ofSeconds(e.solvedInSeconds))
                : e.status().words;
    }

    static String stars(int difficulty) {
        return "★".repeat(difficulty) + "☆".repeat(5 - difficulty);
    }

    static String clock(Duration d) {
        return Retro.clock(d);
    }

    /** The interview clock: time since the start against the time box, stopped once the kata is solved. */
    static String timer(Progress progress, Kata kata, java.time.Instant now) {
        String clock = clock(progress.elapsed(kata.slug(), now));
        Progress.Entry e = progress.entries().get(kata.slug());
        return e != null && e.solved != null ? "⏱ solved in " + clock + " (time box " + kata.timebox() + ")"
                : "⏱ " + clock + " (time box " + kata.timebox() + ")";
    }
}
