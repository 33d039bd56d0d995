package dev.dojo.cli;

import dev.dojo.kata.Kata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Puts a kata's {@code src/} back exactly as shipped ({@link Pristine} says which commit that is):
 * changed files are restored, deleted files and folders come back, and files the learner added are
 * taken out. Everything of the learner's that this replaces or takes out is first copied under
 * {@code .dojo/backups/SLUG/TIME/}; if that copy cannot be made, nothing is touched.
 */
@Command(name = "reset", description = "Put a kata's sources back as shipped; yours are saved under .dojo/backups/ first.")
final class ResetCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Parameters(paramLabel = "<slug>", description = "the kata")
    String slug;

    /** One file to change: what the learner has (null if deleted) and what was shipped (null if not shipped). */
    private record Change(Path file, byte[] mine, byte[] shipped) {}

    @Override
    public Integer call() throws IOException {
        Kata kata = dojo.kata(slug);
        slug = kata.slug();
        Terminal t = dojo.terminal;
        Path root = dojo.workspace.root();
        Path src = kata.kataDir().resolve("src");
        Map<Path, byte[]> shipped = Pristine.of(root, kata.kataDir()).map(p -> p.files(src)).orElse(Map.of());
        if (shipped.isEmpty()) {
            throw new UserError("cannot find the shipped version of " + root.relativize(src)
                    + ": reset needs the catalogue's git history (git and a clone of the repository)");
        }

        List<Change> changes = new ArrayList<>();
        for (Map.Entry<Path, byte[]> file : shipped.entrySet()) {
            byte[] mine = Files.isRegularFile(file.getKey()) ? Files.readAllBytes(file.getKey()) : null;
            if (mine == null || !Arrays.equals(mine, file.getValue())) {
                changes.add(new Change(file.getKey(), mine, file.getValue()));
            }
        }
        for (Path file : files(src)) {
            if (!shipped.containsKey(file)) {
                changes.add(new Change(file, Files.readAllBytes(file), null));
            }
        }
        if (changes.isEmpty()) {
            t.out().println(slug + " is already as shipped; nothing to reset.");
            return 0;
        }

        Path backup = dojo.workspace.dojo().resolve("backups").resolve(slug)
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
        keep(changes, kata.kataDir(), backup);
        for (Change change : changes) {
            Path shown = root.relativize(change.file());
            Path kept = root.relativize(backup.resolve(kata.kataDir().relativize(change.file())));
            if (change.shipped() == null) {
                Files.delete(change.file());
                t.out().println("took out " + shown + ", which was not shipped; yours is in " + kept);
            } else {
                Files.createDirectories(change.file().getParent());
                Files.write(change.file(), change.shipped());
                t.out().println(change.mine() == null ? "restored " + shown + ", which was deleted"
                        : "restored " + shown + "; yours is in " + kept);
            }
        }
        removeEmptyFolders(src, shipped);
        return 0;
    }

    /** Copies the learner's versions under {@code backup}, all before any is replaced; refuses if it cannot. */
    private void keep(List<Change> changes, Path kataDir, Path backup) {
        try {
            for (Change change : changes) {
                if (change.mine() != null) {
                    Path saved = backup.resolve(kataDir.relativize(change.file()));
                    Files.createDirectories(saved.getParent());
                    Files.write(saved, change.mine());
                }
            }
        } catch (IOException e) {
            Path folder = dojo.workspace.dojo();
            throw new UserError("cannot save your version in " + folder + " (" + FileTrouble.unwritable(folder, e)
                    + "); nothing was reset");
        }
    }

    /** The regular files under {@code folder}, if it exists. */
    private static List<Path> files(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        }
    }

    /** Removes folders left empty by taking files out, unless they were shipped (git ships no empty folders). */
    private static void removeEmptyFolders(Path src, Map<Path, byte[]> shipped) throws IOException {
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path folder : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                boolean holdsShipped = shipped.keySet().stream().anyMatch(file -> file.startsWith(folder));
                try (Stream<Path> entries = Files.list(folder)) {
                    if (!holdsShipped && entries.findAny().isEmpty()) {
                        Files.delete(folder);
                    }
                }
            }
        }
    }
}
