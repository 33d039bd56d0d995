package dev.dojo.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI on a temporary copy of one catalogue kata (prenorm-block): in-process with captured
 * output, or as a child JVM ({@code ./kata} without the launcher script).
 */
final class Cli {
    static final Path REPO = Path.of(System.getProperty("dojo.root", "..")).toAbsolutePath().normalize();
    static final String SLUG = "prenorm-block";
    static final String COMPONENT = "src/main/java/dev/dojo/katas/prenorm/PreNormBlock.java";

    final Path root;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Copies the kata and its solution under {@code root}. */
    Cli(Path root) throws IOException {
        this.root = root;
        copy(REPO.resolve("katas").resolve(SLUG), root.resolve("katas").resolve(SLUG));
        copy(REPO.resolve("solutions").resolve(SLUG), root.resolve("solutions").resolve(SLUG));
    }

    private Cli(Path root, boolean copied) {
        this.root = root;
    }

    /** The CLI on a checkout that already holds the kata (a clone of a copy). */
    static Cli in(Path root) {
        return new Cli(root, true);
    }

    /** Runs {@code ./kata args} in this JVM; returns its exit code. */
    int run(String... args) {
        out.reset();
        err.reset();
        Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return Dojo.commandLine(new Workspace(root), terminal, new ByteArrayInputStream(new byte[0])).execute(args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    Path component() {
        return root.resolve("katas").resolve(SLUG).resolve(COMPONENT);
    }

    Path dojo() {
        return root.resolve(".dojo");
    }

    void solve() throws IOException {
        Files.copy(root.resolve("solutions").resolve(SLUG).resolve(COMPONENT), component(),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** A child JVM running {@code mainClass} on the test class path, with {@code env} added to its environment. */
    static ProcessBuilder java(Path root, List<String> env, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xss4m", "-Ddojo.root=" + root, "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        for (String pair : env) {
            int eq = pair.indexOf('=');
            builder.environment().put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return builder;
    }

    /** The output of a finished child; fails the test if it is still running after {@code seconds}. */
    static String finish(Process p, int seconds) throws Exception {
        boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ended).as("the child ended within %d s; it printed:%n%s", seconds, output).isTrue();
        return output;
    }

    /** Runs git in {@code dir} and asserts it succeeded; returns its standard output, trimmed. */
    static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("git %s: %s", String.join(" ", args), output).isZero();
        return output.trim();
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.filter(p -> !p.toString().contains("/target")).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
