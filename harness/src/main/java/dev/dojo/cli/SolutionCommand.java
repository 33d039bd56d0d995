package dev.dojo.cli;

import dev.dojo.kata.Kata;
import dev.dojo.kata.LineDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "solution", description = "After you confirm: the fix as a diff, and why it is right.")
final class SolutionCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Parameters(paramLabel = "<slug>", description = "the kata")
    String slug;

    @Option(names = {"-y", "--yes"}, description = "show it without asking")
    boolean yes;

    @Override
    public Integer call() throws IOException {
        Kata kata = dojo.kata(slug);
        slug = kata.slug();
        Terminal t = dojo.terminal;
        if (!yes) {
            t.out().print("Show the solution to " + slug + "? That ends the hunt. [y/N] ");
            t.out().flush();
            String answer = new BufferedReader(new InputStreamReader(dojo.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null || !answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
                t.out().println("Not shown.");
                return 0;
            }
        }
        Path broken = kata.kataDir().resolve("src/main/java");
        Path fixed = kata.solutionDir().resolve("src/main/java");
        for (Path source : StartCommand.sources(fixed)) {
            Path relative = fixed.relativize(source);
            List<String> before = Files.readAllLines(pristine(kata, relative));
            List<String> after = Files.readAllLines(source);
            t.out().println(t.bold("--- katas/" + slug + "/src/main/java/" + relative));
            t.out().println(t.bold("+++ solutions/" + slug + "/src/main/java/" + relative));
            for (String line : UnifiedDiff.hunks(LineDiff.diff(before, after), 3)) {
                t.out().println(line.startsWith("-") ? t.red(line) : line.startsWith("+") ? t.green(line)
                        : line.startsWith("@@") ? t.cyan(line) : line);
            }
            t.out().println();
        }
        t.out().println(read(kata.solutionDir().resolve("SOLUTION.md")));
        return 0;
    }

    /** The broken source as shipped (from git when the learner has edited it), else the file as it is. */
    private Path pristine(Kata kata, Path relative) {
        Path file = kata.kataDir().resolve("src/main/java").resolve(relative);
        return Pristine.copy(dojo.workspace.root(), file).orElse(file);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
