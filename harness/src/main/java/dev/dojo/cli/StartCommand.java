package dev.dojo.cli;

import dev.dojo.kata.Kata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "start", description = "Show a kata's briefing and the files to open; starts its clock.")
final class StartCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Parameters(paramLabel = "<slug>", description = "the kata, as ./kata list names it")
    String slug;

    @picocli.CommandLine.Option(names = "--interview", description = "the report only: no title, topics or hints")
    boolean interview;

    @picocli.CommandLine.Option(names = "--pair", paramLabel = "NAME,NAME", description = "who drives and navigates, driver first")
    String pair;

    @picocli.CommandLine.Option(names = "--swap", paramLabel = "TIME", description = "swap roles every TIME, e.g. 7m (default: 7m)")
    String swap;

    @Override
    public Integer call() {
        Kata kata = dojo.kata(slug);
        slug = kata.slug();
        Terminal t = dojo.terminal;
        Progress progress = dojo.workspace.progress();
        Briefing briefing = Briefing.read(kata);
        if (interview) {
            t.out().println(t.bold(slug) + "  " + ListCommand.stars(kata.difficulty()) + "  time box " + kata.timebox());
        } else {
            t.out().println(t.bold("# " + kata.title()));
            t.out().println(slug + "  " + ListCommand.stars(kata.difficulty()) + " (" + kata.difficulty() + "/5)  time box "
                    + kata.timebox() + "  topics: " + String.join(", ", kata.topics()));
        }
        t.out().println();
        t.out().println(briefing.body());
        t.out().println();
        t.out().println(t.bold("Open:"));
        for (Path source : sources(kata.kataDir().resolve("src/main/java"))) {
            t.out().println("  " + dojo.workspace.root().relativize(source));
        }
        t.out().println(t.bold("Run:"));
        t.out().println("  ./kata watch " + slug + "     re-runs the tests on every save");
        t.out().println("  ./kata test " + slug + "      runs them once");
        if (!interview) {
            t.out().println("  ./kata hint " + slug + "      when you are stuck (" + briefing.hints().size() + " hints)");
        }
        progress.started(slug, Instant.now());
        try {
            Pairing.roles(Pairing.startKata(dojo.workspace, slug, Pairing.pair(pair),
                    Pairing.swap(swap, Pairing.pair(pair)), Instant.now())).ifPresent(roles -> t.out().println(t.cyan(roles)));
        } catch (java.io.UncheckedIOException e) {
            // the session log is a record, not a condition of the kata: start without it (progress already
            // said once that .dojo cannot be written), and say so only when a pair asked for one
            if (pair != null) {
                t.err().println("dojo: cannot record the pair's session (" + e.getMessage() + "); carrying on without it");
            }
        }
        t.out().println(t.dim("The clock is running: time box " + kata.timebox() + "."));
        return 0;
    }

    static java.util.List<Path> sources(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
