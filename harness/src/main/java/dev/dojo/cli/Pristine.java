package dev.dojo.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A kata file as the catalogue ships it: its committed version in git. */
final class Pristine {
    private Pristine() {}

    /** The committed content of {@code file}, in a temporary file; empty when git or the commit has none. */
    static Optional<Path> copy(Path root, Path file) {
        String relative = root.relativize(file).toString().replace('\\', '/');
        try {
            Process git = new ProcessBuilder("git", "-C", root.toString(), "show", "HEAD:" + relative)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] content = git.getInputStream().readAllBytes();
            if (!git.waitFor(10, TimeUnit.SECONDS) || git.exitValue() != 0) {
                return Optional.empty();
            }
            Path copy = Files.createTempFile("dojo-pristine", ".java");
            copy.toFile().deleteOnExit();
            Files.writeString(copy, new String(content, StandardCharsets.UTF_8));
            return Optional.of(copy);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
