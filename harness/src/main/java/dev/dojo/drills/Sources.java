package dev.dojo.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The harness's own Java sources, read from the checkout that {@code dojo.root} names (the
 * {@code ./kata} launcher and the build set it): a drill is the source text of a reference part,
 * so it is always the code the harness was built from.
 */
final class Sources {
    private static final Path MAIN = Path.of("harness", "src", "main", "java");

    private Sources() {}

    /** The folder that holds the harness's main sources. */
    static Path root() {
        Path checkout = Path.of(System.getProperty("dojo.root", ".")).toAbsolutePath().normalize();
        Path main = checkout.resolve(MAIN);
        if (!Files.isDirectory(main) && Files.isDirectory(checkout.resolve("src/main/java/dev/dojo"))) {
            main = checkout.resolve("src/main/java");          // run from inside the harness module
        }
        return main;
    }

    /** The source text of {@code type}, a top-level class of the harness. */
    static String of(Class<?> type) {
        Path file = root().resolve(type.getName().replace('.', '/') + ".java");
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the source of " + type.getSimpleName() + " at " + file
                    + ": a drill is planted in the harness's own sources (set -Ddojo.root to the checkout)", e);
        }
    }

    /** The simple names of the top-level types in {@code type}'s package. */
    static List<String> typesBeside(Class<?> type) {
        Path folder = root().resolve(type.getPackageName().replace('.', '/'));
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .map(n -> n.substring(0, n.length() - ".java".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the sources in " + folder, e);
        }
    }
}
