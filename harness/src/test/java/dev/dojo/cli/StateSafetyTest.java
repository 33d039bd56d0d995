package dev.dojo.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * What the user's machine does to the dojo's state (a .dojo that cannot be written, a corrupt
 * progress file, a DJL cache that cannot be written) is said in one line, never as an internal
 * error, and never changes a run's verdict.
 */
class StateSafetyTest {
    @TempDir
    Path root;

    private Cli cli;

    @BeforeEach
    void copyKata() throws IOException {
        cli = new Cli(root);
    }

    /** .dojo as a regular file: nothing can be made in it, for root too. */
    private void dojoIsAFile() throws IOException {
        Files.writeString(cli.dojo(), "a file where the folder should be\n");
    }

    private String cannotSave(String why) {
        return "dojo: cannot save progress in " + cli.dojo() + " (" + why + "); carrying on without saving it\n";
    }

    @Test
    @DisplayName("with .dojo unwritable, a red test run still exits 1 and a green one 0, with one line about progress")
    void testKeepsItsVerdict() throws IOException {
        dojoIsAFile();

        assertThat(cli.run("test", Cli.SLUG)).isEqualTo(1);
        assertThat(cli.out()).containsPattern("\\d+ passed, [1-9]\\d* failed");
        assertThat(cli.err()).isEqualTo(cannotSave("it is a file, not a folder"));

        cli.solve();
        assertThat(cli.run("test", Cli.SLUG, "--interview")).isZero();
        assertThat(cli.out()).contains("every probe that applies holds", "⏱ solved in ");
        assertThat(cli.err()).isEqualTo(cannotSave("it is a file, not a folder"));
        assertThat(Files.readString(cli.dojo())).isEqualTo("a file where the folder should be\n");
    }

    @Test
    @DisplayName("with .dojo unwritable, start and hint work and say once that progress is not saved; list and progress read on")
    void otherCommandsCarryOn() throws IOException {
        dojoIsAFile();

        assertThat(cli.run("start", Cli.SLUG)).isZero();
        assertThat(cli.err()).isEqualTo(cannotSave("it is a file, not a folder"));
        assertThat(cli.run("hint", Cli.SLUG)).isZero();
        assertThat(cli.out()).startsWith("Hint 1 of 3");
        assertThat(cli.err()).isEqualTo(cannotSave("it is a file, not a folder"));
        assertThat(cli.run("list")).isZero();
        assertThat(cli.err()).isEmpty();
        assertThat(cli.run("progress")).isZero();
        assertThat(cli.out()).contains("0 of 1 solved");
        assertThat(cli.err()).isEmpty();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    @DisplayName("a read-only .dojo folder (where permissions bind: not as root) is named read-only")
    void readOnlyFolder() throws IOException {
        Files.createDirectories(cli.dojo());
        Files.setPosixFilePermissions(cli.dojo(), PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(cli.dojo()), "permissions do not bind this user (root)");
            assertThat(cli.run("hint", Cli.SLUG)).isZero();
            assertThat(cli.err()).isEqualTo(cannotSave("read-only"));
        } finally {
            Files.setPosixFilePermissions(cli.dojo(), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    @DisplayName("a progress file of random bytes: list exits 0, says so in one line and moves the file aside")
    void randomBytes() throws IOException {
        byte[] random = new byte[4096];
        new Random(7).nextBytes(random);
        Files.createDirectories(cli.dojo());
        Files.write(cli.dojo().resolve("progress.json"), random);

        assertThat(cli.run("list")).isZero();

        assertThat(cli.err().lines()).singleElement().asString().contains("was not valid progress (not UTF-8 text)",
                "kept it as progress.json.corrupt-");
        assertThat(cli.out()).contains("not started");
        try (Stream<Path> files = Files.list(cli.dojo())) {
            Path aside = files.filter(p -> p.getFileName().toString().startsWith("progress.json.corrupt-")).findFirst()
                    .orElseThrow();
            assertThat(Files.readAllBytes(aside)).isEqualTo(random);
        }
        assertThat(cli.run("progress")).isZero();
        assertThat(cli.err()).isEmpty();
    }

    @Test
    @DisplayName("a bad date in progress: progress and test --interview say so in one line and run on")
    void badDate() throws IOException {
        Files.createDirectories(cli.dojo());
        Path file = cli.dojo().resolve("progress.json");
        String badStart = "{\"katas\": {\"prenorm-block\": {\"started\": \"last Tuesday\", \"runs\": 2}}}";
        Files.writeString(file, badStart);

        assertThat(cli.run("progress")).isZero();
        assertThat(cli.err().lines()).singleElement().asString()
                .contains("\"started\" is not a date and time: last Tuesday");

        Files.writeString(file, "{\"katas\": {\"prenorm-block\": {\"started\": \"2024-01-01T10:00:00Z\","
                + " \"solved\": \"2024-02-30T25:00:00Z\", \"solvedInSeconds\": 60}}}");
        assertThat(cli.run("test", Cli.SLUG, "--interview")).isEqualTo(1);
        assertThat(cli.err().lines()).singleElement().asString().contains("\"solved\" is not a date and time");
        assertThat(cli.out()).contains("⏱ 0:00 (time box 15 min)");
        assertThat(cli.run("progress")).isZero();
        assertThat(cli.out()).containsPattern("prenorm-block\\s+in progress\\s+0\\s+1");
    }

    @Test
    @DisplayName("an empty DJL cache that cannot be written: test and probes exit 3 with one line naming the cache")
    void unwritableEngineCache() throws Exception {
        Path notAFolder = root.resolve("cache-is-under-a-file");
        Files.writeString(notAFolder, "");
        Path cache = notAFolder.resolve("djl");
        for (String command : List.of("test", "probes")) {
            List<String> args = command.equals("test") ? List.of("test", Cli.SLUG) : List.of("probes");
            Process p = Cli.java(root, List.of("DJL_CACHE_DIR=" + cache), Main.class.getName(), args.toArray(String[]::new))
                    .redirectErrorStream(true).start();
            String output = Cli.finish(p, 120);
            assertThat(p.exitValue()).as("./kata %s exits 3; it printed:%n%s", command, output).isEqualTo(3);
            assertThat(output).isEqualTo("dojo: cannot extract the PyTorch native library (~430 MB) to "
                    + cache.resolve("pytorch") + ": DJL's cache is empty and cannot be written there; set DJL_CACHE_DIR"
                    + " to a writable folder\n");
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    @DisplayName("an empty, read-only DJL cache folder (where permissions bind: not as root) exits 3 naming it")
    void readOnlyEngineCache() throws Exception {
        Path cache = Files.createDirectories(root.resolve("djl-cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(cache), "permissions do not bind this user (root)");
            Process p = Cli.java(root, List.of("DJL_CACHE_DIR=" + cache), Main.class.getName(), "probes")
                    .redirectErrorStream(true).start();
            String output = Cli.finish(p, 120);
            assertThat(p.exitValue()).isEqualTo(3);
            assertThat(output.lines()).singleElement().asString().contains("to " + cache.resolve("pytorch"));
        } finally {
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    @DisplayName("a file-system failure the user caused is one line naming the file, exit 2, not an internal error")
    void fileSystemFailureIsOneLine() throws IOException {
        Path readme = root.resolve("katas").resolve(Cli.SLUG).resolve("README.md");
        Files.delete(readme);
        Files.createDirectories(readme);   // a folder where the briefing should be

        assertThat(cli.run("start", Cli.SLUG)).isEqualTo(2);

        assertThat(cli.err().lines()).singleElement().asString().startsWith("dojo: ").contains(readme.toString())
                .doesNotContain("internal error", "Exception");
        assertThat(new String(cli.err().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).endsWith("\n");
    }
}
