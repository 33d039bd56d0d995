package dev.dojo.cli;

import dev.dojo.drills.Drill;
import dev.dojo.drills.DrillWorkspace;
import dev.dojo.drills.Planted;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

// Contract: ./kata blind draws a drill into .dojo/drills/<id>/ and shows its evidence without naming the
// bug, its class or its step; the drill runs in a worker JVM on the CLI's path (javac, the JUnit launcher,
// the probe gate); the reference's step makes it pass, which reveals the bug, the step and the time to the first
// right hypothesis; guess, giveup, retro (text and HTML), hint and list work on it; a kata session
// takes a pair and logs its runs; wrong input is a one-line error with exit code 2.
class DrillCliTest {
    private static final Path REPO = Path.of(System.getProperty("dojo.root", "..")).toAbsolutePath().normalize();
    private static final Pattern ID = Pattern.compile("Drill ([0-9a-f]{6})");

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int kata(String... args) {
        out.reset();
        err.reset();
        Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return Dojo.commandLine(new Workspace(root), terminal, new ByteArrayInputStream(new byte[0])).execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private DrillWorkspace drawn() {
        Matcher m = ID.matcher(out());
        assertThat(m.find()).as("a drill id in:\n%s", out()).isTrue();
        return DrillWorkspace.open(root.resolve(".dojo/drills"), m.group(1));
    }

    @ParameterizedTest(name = "a {0} drill: evidence without a name, a hypothesis, the fix, the reveal and the retro")
    @CsvSource({"attention, 3", "rope, 5", "norm, 8", "block, 13"})
    void wholeLoop(String topic, long seed) throws IOException {
        assertThat(kata("blind", "--topic", topic, "--seed", Long.toString(seed), "--pair", "Ana,Ben")).isEqualTo(0);
        String shown = out();
        DrillWorkspace drill = drawn();
        Drill d = drill.drill();
        Planted planted = d.planted();

        assertThat(shown).contains("Drill " + d.id(), "Ana drives, Ben navigates; swap every 7:00", "✗", "Open:",
                ".dojo/drills/" + d.id() + "/src/main/java/dojo/drill/" + planted.fileName());
        assertThat(shown.toLowerCase(Locale.ROOT)).doesNotContain(d.variant().name(),
                d.variant().family().toLowerCase(Locale.ROOT), d.variant().bug().toLowerCase(Locale.ROOT),
                "consistent with", planted.where().toLowerCase(Locale.ROOT));
        assertThat(Files.readString(drill.source())).isEqualTo(planted.source());
        assertThat(Files.readString(drill.folder().resolve("drill.json"))).doesNotContain(d.variant().name());

        assertThat(kata("guess", "I think " + d.step() + " is wrong")).isEqualTo(0);
        assertThat(out()).contains("Hypothesis 1 recorded", "(Ana driving)");
        assertThat(kata("drill", "test")).isEqualTo(1);

        Files.writeString(drill.source(), planted.reference());
        assertThat(kata("drill", "test")).as(out()).isEqualTo(0);
        assertThat(out()).contains("every probe that applies holds", "Solved in", "The bug: " + d.variant().bug(),
                "The step: " + planted.where(), "← right (it names the step '" + d.step() + "')",
                "Time to the first right hypothesis");

        assertThat(kata("retro")).isEqualTo(0);
        assertThat(out()).contains("Retro · drill " + d.id() + " · Ana & Ben", "hypothesis 1: “I think " + d.step(),
                "← right", "← solved", "Outcome: solved in", "The bug: ");
        Path report = root.resolve(".dojo/reports/drill-" + d.id() + ".html");
        assertThat(report).exists();
        assertThat(Files.readString(report)).contains("<section id=\"timeline\">", "hypothesis 1");
    }

    @Test
    @DisplayName("giveup reveals the bug and the fix; list and progress then show its class, and --weakest draws from it")
    void giveUpAndWeakest() throws IOException {
        assertThat(kata("blind", "--topic", "norm", "--seed", "21")).isEqualTo(0);
        Drill d = drawn().drill();
        assertThat(kata("drill", "list")).isEqualTo(0);
        assertThat(out()).contains(d.id(), "open", "(hidden until solved or given up)").doesNotContain(d.variant().family());

        assertThat(kata("giveup")).isEqualTo(0);
        assertThat(out()).contains("Given up after", "The bug: " + d.variant().bug(), "Its class: " + d.variant().family(),
                "The step: " + d.planted().where(), "-        ", "+        ", "No hypothesis was recorded");
        assertThat(kata("drill", "list")).isEqualTo(0);
        assertThat(out()).contains("gave up", d.variant().family(), "Slowest: " + d.variant().family() + " (gave up 1 of 1)");

        Cli.copy(REPO.resolve("katas/prenorm-block"), root.resolve("katas/prenorm-block"));
        assertThat(kata("progress")).as(err()).isEqualTo(0);
        assertThat(out()).contains("Drills: 1 drawn, 0 solved, 1 given up, 0 open", d.variant().family());

        assertThat(kata("blind", "--weakest", "--seed", "1")).isEqualTo(0);
        assertThat(drawn().drill().variant().family()).isEqualTo(d.variant().family());
        assertThat(kata("drill", "watch", "--runs", "1")).isEqualTo(0);
        assertThat(out()).contains("waiting for a save");
    }

    @Test
    @DisplayName("hints narrow the search: the broken property, then the bug classes that fit, then the step")
    void hints() {
        assertThat(kata("blind", "--topic", "rope", "--seed", "5")).isEqualTo(0);
        Drill d = drawn().drill();

        assertThat(kata("drill", "hint")).isEqualTo(0);
        assertThat(out()).contains("Hint 1 of 3", "The bug breaks").doesNotContain(d.step());
        assertThat(kata("drill", "hint")).isEqualTo(0);
        assertThat(out()).contains("Hint 2 of 3", d.variant().family());
        assertThat(kata("drill", "hint")).isEqualTo(0);
        assertThat(out()).contains("Hint 3 of 3", d.planted().where());
        assertThat(kata("drill")).isEqualTo(0);
        assertThat(out()).contains("3 of 3 hints read");
    }

    @Test
    @DisplayName("the same seed draws the same drill again, and keeps the pair's edits")
    void sameSeedKeepsTheWorkspace() throws IOException {
        assertThat(kata("blind", "--topic", "attention", "--seed", "77")).isEqualTo(0);
        DrillWorkspace first = drawn();
        Files.writeString(first.source(), Files.readString(first.source()) + "// ours\n");

        assertThat(kata("blind", "--topic", "attention", "--seed", "77")).isEqualTo(0);

        assertThat(drawn().drill().id()).isEqualTo(first.drill().id());
        assertThat(out()).contains("drawn before");
        assertThat(Files.readString(first.source())).endsWith("// ours\n");
    }

    @Test
    @DisplayName("a kata started with a pair logs its runs and hypotheses; retro prints them and writes the kata's report")
    void kataSession() throws IOException {
        Cli.copy(REPO.resolve("katas/prenorm-block"), root.resolve("katas/prenorm-block"));
        assertThat(kata("start", "prenorm-block", "--pair", "Ana,Ben", "--swap", "5m")).isEqualTo(0);
        assertThat(out()).contains("Ana drives, Ben navigates; swap every 5:00");
        assertThat(kata("guess", "the residual carries the normalized input")).isEqualTo(0);
        kata("test", "prenorm-block");
        assertThat(kata("hint", "prenorm-block")).isEqualTo(0);
        assertThat(kata("watch", "prenorm-block", "--runs", "1")).isEqualTo(0);
        assertThat(out()).contains("Ana drives, Ben navigates; swap every 5:00");

        assertThat(kata("retro")).as(err()).isEqualTo(0);

        assertThat(out()).contains("Retro · kata prenorm-block · Ana & Ben", "started kata prenorm-block",
                "hypothesis 1: “the residual carries the normalized input”", "run 1:", "tests fail", "read hint 1",
                "run 2: the same evidence", "wrote ");
        assertThat(Files.readString(root.resolve(".dojo/reports/prenorm-block.html"))).contains("<section id=\"timeline\">");
    }

    @Test
    @DisplayName("wrong input is one line and exit code 2")
    void wrongInput() throws IOException {
        assertThat(kata("guess", "anything")).isEqualTo(2);
        assertThat(err()).contains("no session to record it in");
        assertThat(kata("giveup")).isEqualTo(2);
        assertThat(kata("drill", "test")).isEqualTo(2);
        assertThat(err()).contains("no drill yet: ./kata blind draws one");
        assertThat(kata("blind", "--topic", "mlp")).isEqualTo(2);
        assertThat(err()).contains("attention, rope, norm, block");
        assertThat(kata("blind", "--pair", "Ana")).isEqualTo(2);
        assertThat(err()).contains("two or more different names");
        assertThat(kata("blind", "--pair", "Ana,Ben", "--swap", "soon")).isEqualTo(2);
        assertThat(err()).contains("--swap takes a time like 7m");
        assertThat(kata("blind", "--swap", "7m")).isEqualTo(2);
        assertThat(err()).contains("--swap needs --pair");

        assertThat(kata("blind", "--topic", "attention", "--seed", "3")).isEqualTo(0);
        assertThat(kata("guess", "--right", "1")).isEqualTo(2);
        assertThat(err()).contains("no hypothesis recorded yet");
        kata("guess", "a hypothesis");
        assertThat(kata("guess", "--right", "1")).isEqualTo(2);
        assertThat(err()).contains("not revealed yet");
        assertThat(kata("guess", " ")).isEqualTo(2);
        assertThat(kata("drill", "hint", "4")).isEqualTo(2);
        assertThat(kata("drill", "--id", "zzzzzz")).isEqualTo(2);
    }

}
