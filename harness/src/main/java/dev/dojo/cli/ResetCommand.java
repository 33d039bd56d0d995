package dev.dojo.cli;

import dev.dojo.kata.Kata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "reset", description = "Restore a kata's broken source; your version is saved under .dojo/backups/ first.")
final class ResetCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Parameters(paramLabel = "<slug>", description = "the kata")
    String slug;

    @Override
    public Integer call() throws IOException {
        Kata kata = dojo.kata(slug);
        slug = kata.slug();
        Terminal t = dojo.terminal;
        Path sources = kata.kataDir().resolve("src/main/java");
        Path backup = dojo.workspace.dojo().resolve("backups").resolve(slug)
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
        int restored = 0;
        for (Path file : StartCommand.sources(sources)) {
            Optional<Path> shipped = Pristine.copy(dojo.workspace.root(), file);
            if (shipped.isEmpty()) {
                throw new UserError("cannot find the shipped version of " + dojo.workspace.root().relativize(file)
                        + ": reset needs the catalogue's git history (git and a clone of the repository)");
            }
            byte[] mine = Files.readAllBytes(file);
            byte[] original = Files.readAllBytes(shipped.get());
            if (Arrays.equals(mine, original)) {
                continue;
            }
            Path saved = backup.resolve(sources.relativize(file));
            Files.createDirectories(saved.getParent());
            Files.write(saved, mine);
            Files.write(file, original);
            restored++;
            t.out().println("restored " + dojo.workspace.root().relativize(file) + "; yours is in "
                    + dojo.workspace.root().relativize(saved));
        }
        if (restored == 0) {
            t.out().println(slug + " is already as shipped; nothing to reset.");
        }
        return 0;
    }
}
