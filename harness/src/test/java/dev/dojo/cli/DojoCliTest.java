package dev.dojo.cli;

import dev.dojo.diagnosis.Mode;
import dev.dojo.kata.Kata;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI run in-process on a copy of one catalogue kata (prenorm-block), so nothing here
 * touches the checkout. Each command, and each wrong input, with captured output.
 */
class DojoCliTest {
    private static final Path REPO = Path.of(System.getProperty("dojo.root", "..")).toAbsolutePath().normalize();
    private static final String SLUG = "prenorm-block";
    private static final String COMPONENT = "src/main/java/dev/dojo/katas/prenorm/PreNormBlock.java";

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void copyKata() throws IOException {
        copy(REPO.resolve("katas").resolve(SLUG), root.resolve("katas").resolve(SLUG));
        copy(REPO.resolve("solutions").resolve(SLUG), root.resolve("solutions").resolve(SLUG));
    }

    private int kata(String... args) {
        return kataWithInput("", args);
    }

    private int kataWithInput(String input, String... args) {
        out.reset();
        err.reset();
        Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return Dojo.commandLine(new Workspace(root), terminal,
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))).execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path component() {
        return root.resolve("katas").resolve(SLUG).resolve(COMPONENT);
    }

    private void solve() throws IOException {
        Files.copy(root.resolve("solutions").resolve(SLUG).resolve(COMPONENT), component(),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @DisplayName("list shows each kata with its difficulty, time box and status")
    void listShowsTheCatalogue() {
        assertThat(kata("list")).isZero();
        Kata kata = Kata.read(root, SLUG);
        assertThat(out()).contains("prenorm-block", kata.title(), String.join(", ", kata.topics()), "15 min",
                "not started");
    }

    @Test
    @DisplayName("list --interview shows no titles or topics")
    void listInInterview() {
        Kata kata = Kata.read(root, SLUG);
        assertThat(kata("list", "--interview")).isZero();
        assertThat(out()).contains("prenorm-block", "15 min").doesNotContain(kata.title(), kata.topics().get(0));
    }

    @Test
    @DisplayName("a kata's former slug still works, with a one-line notice of its new name")
    void formerSlug() {
        assertThat(kata("hint", "prenorm-residual")).isZero();
        assertThat(err()).isEqualTo("dojo: kata 'prenorm-residual' is now called 'prenorm-block'\n");
        assertThat(out()).startsWith("Hint 1 of 3");
    }

    @Test
    @DisplayName("a timeout that is not a positive number of seconds is a clear error, exit 2")
    void badTimeout() {
        assertThat(kata("test", SLUG, "--timeout", "0")).isEqualTo(2);
        assertThat(err()).isEqualTo("dojo: --timeout must be from 1 to 86400 seconds, not 0\n");
        assertThat(kata("test", SLUG, "--timeout", "99999999999")).isEqualTo(2);
        assertThat(err()).startsWith("dojo: --timeout must be from 1 to 86400 seconds");
    }

    @Test
    @DisplayName("catalogue prints the README's table from kata.json")
    void catalogue() {
        assertThat(kata("catalogue")).isZero();
        assertThat(out()).startsWith("| kata | title |").contains("| [`prenorm-block`](katas/prenorm-block/README.md) | "
                + Kata.read(root, SLUG).title() + " |");
    }

    @Test
    @DisplayName("an unknown command gets a one-line error and exit 2, no stack trace")
    void unknownCommand() {
        assertThat(kata("frobnicate")).isEqualTo(2);
        assertThat(err()).contains("dojo: Unmatched argument", "'frobnicate'").doesNotContain("Exception", "\tat ");
    }

    @Test
    @DisplayName("an unknown kata gets the list of known ones and exit 2")
    void unknownKata() {
        assertThat(kata("test", "rope-of-by-one")).isEqualTo(2);
        assertThat(err()).isEqualTo("dojo: unknown kata 'rope-of-by-one'. Known katas: prenorm-block\n");
    }

    @Test
    @DisplayName("test on the broken kata fails with exit 1 and shows the divergence and the failing probe")
    void testFailsOnTheBrokenKata() {
        assertThat(kata("test", SLUG)).isEqualTo(1);
        assertThat(out()).contains("✗ agrees with torch.nn.TransformerEncoderLayer", "diverges from",
                "✗ residual identity: with its sublayers' output projections zeroed", "✓ computes each sample",
                "Stuck? ./kata hint prenorm-block").containsPattern("\\d+ passed, [1-9]\\d* failed")
                .doesNotContain("consistent with");
    }

    @Test
    @DisplayName("--seed N reruns the tests at seed N, and the failure prints that seed")
    void seed() {
        assertThat(kata("test", SLUG, "--seed", "3")).isEqualTo(1);
        assertThat(out()).contains("seed: 3 (").doesNotContain("seed: 7 (");
        assertThat(kata("test", SLUG)).isEqualTo(1);
        assertThat(out()).contains("seed: 7 (");
    }

    @Test
    @DisplayName("tests that pass are not enough: a component that breaks a probe of its kit is not solved")
    void greenTestsButABrokenProbe() throws IOException {
        solve();
        Files.writeString(component(), Files.readString(component()).replace("attention.forward(h, mask)",
                "attention.forward(h, dev.dojo.reference.AttentionMask.none())"));
        Path tests = root.resolve("katas").resolve(SLUG).resolve("src/test/java/dev/dojo/katas/prenorm");
        try (Stream<Path> files = Files.list(tests)) {
            for (Path test : files.filter(f -> f.getFileName().toString().endsWith("Test.java")).toList()) {
                Files.delete(test);
            }
        }
        Files.writeString(tests.resolve("ShapeOnlyTest.java"), """
                package dev.dojo.katas.prenorm;

                import org.junit.jupiter.api.Test;

                import static org.assertj.core.api.Assertions.assertThat;

                class ShapeOnlyTest {
                    @Test
                    void compiles() {
                        assertThat(PreNormBlock.class).isNotNull();
                    }
                }
                """);

        assertThat(kata("test", SLUG)).isEqualTo(1);

        assertThat(out()).contains("1 passed, 0 failed", "tests pass, but ", "causality ✗", "not solved yet",
                "✗ causality: ");
        assertThat(kata("progress")).isZero();
        assertThat(out()).doesNotContain("solved in");
    }

    @Test
    @DisplayName("test on the fixed kata passes with exit 0 and marks it solved")
    void testPassesWhenFixed() throws IOException {
        solve();
        assertThat(kata("test", SLUG)).isZero();
        assertThat(out()).containsPattern("\\d+ passed, 0 failed").contains("every probe that applies holds");
        assertThat(kata("progress")).isZero();
        assertThat(out()).contains("solved in", "1 of 1 solved");
    }

    @Test
    @DisplayName("interview mode shows a timer, a neutral title and the evidence only")
    void interviewMode() {
        assertThat(kata("test", SLUG, "--interview")).isEqualTo(1);
        assertThat(out()).contains("⏱ ", "✗ residual identity").doesNotContain("Stuck?", "consistent with",
                Kata.read(root, SLUG).title());
    }

    @Test
    @DisplayName("the interview timer stops when the kata is solved")
    void interviewTimerStops() throws IOException {
        assertThat(kata("start", SLUG, "--interview")).isZero();
        solve();
        assertThat(kata("test", SLUG, "--interview")).isZero();
        assertThat(out()).contains("⏱ solved in ");
    }

    @Test
    @DisplayName("suggestions come with --coach, or after the third hint, led by the property they break")
    void coachMode() {
        assertThat(kata("test", SLUG, "--coach")).isEqualTo(1);
        assertThat(out()).contains("residual identity ✗ → consistent with: residual placement");
        assertThat(kata("test", SLUG, "--coach", "--interview")).isEqualTo(2);
        assertThat(err()).contains("cannot be combined");
        kata("hint", SLUG);
        kata("hint", SLUG);
        assertThat(kata("test", SLUG)).isEqualTo(1);
        assertThat(out()).doesNotContain("consistent with");
        assertThat(kata("hint", SLUG)).isZero();
        assertThat(out()).contains("also name the bug classes");
        assertThat(kata("test", SLUG)).isEqualTo(1);
        List<String> suggestions = out().lines().filter(line -> line.contains("consistent with")).toList();
        assertThat(suggestions).as("only bug classes that apply to a pre-norm LayerNorm block").isNotEmpty()
                .allMatch(line -> line.contains("→ consistent with: residual placement"));
    }

    @Test
    @DisplayName("a kata edited so that it does not compile is shown as a compile error with its line")
    void compileError() throws IOException {
        Files.writeString(component(), Files.readString(component()).replace("return x.add(", "return x.plus("));
        assertThat(kata("test", SLUG)).isEqualTo(1);
        assertThat(out()).contains("does not compile:", "PreNormBlock.java:33:", "cannot find symbol");
    }

    @Test
    @DisplayName("nothing stale is tested: a deleted test stops running, a deleted component is a clear error")
    void nothingStale() throws IOException {
        solve();
        assertThat(kata("test", SLUG)).isZero();
        Path tests = root.resolve("katas").resolve(SLUG).resolve("src/test/java/dev/dojo/katas/prenorm");
        Files.writeString(tests.resolve("ExtraTest.java"), """
                package dev.dojo.katas.prenorm;

                class ExtraTest {
                    @org.junit.jupiter.api.Test
                    void fails() {
                        org.assertj.core.api.Assertions.fail("an extra test");
                    }
                }
                """);
        assertThat(kata("test", SLUG)).isEqualTo(1);
        assertThat(out()).contains("an extra test");

        Files.delete(tests.resolve("ExtraTest.java"));
        assertThat(kata("test", SLUG)).isZero();
        assertThat(out()).doesNotContain("an extra test");

        Files.delete(component());
        assertThat(kata("test", SLUG)).isEqualTo(1);
        assertThat(out()).contains("does not compile:", "the component's file is missing");
    }

    @Test
    @DisplayName("hints come one at a time, are remembered, and a wrong number is a clear error")
    void hints() {
        assertThat(kata("hint", SLUG)).isZero();
        assertThat(out()).startsWith("Hint 1 of 3");
        assertThat(kata("hint", SLUG)).isZero();
        assertThat(out()).startsWith("Hint 2 of 3");
        assertThat(kata("hint", SLUG, "1")).isZero();
        assertThat(out()).startsWith("Hint 1 of 3");
        assertThat(kata("hint", SLUG)).isZero();
        assertThat(out()).startsWith("Hint 3 of 3");
        assertThat(kata("hint", SLUG)).isZero();
        assertThat(out()).startsWith("Hint 3 of 3").contains("that was the last hint");
        assertThat(kata("hint", SLUG, "4")).isEqualTo(2);
        assertThat(err()).isEqualTo("dojo: kata prenorm-block has hints 1 to 3, not 4\n");
        assertThat(kata("progress")).isZero();
        assertThat(out()).containsPattern("prenorm-block\\s+in progress\\s+3");
    }

    @Test
    @DisplayName("start prints the briefing without its hints, the files to open, and starts the clock")
    void start() {
        assertThat(kata("start", SLUG)).isZero();
        assertThat(out()).contains("# " + Kata.read(root, SLUG).title(), "## The report",
                        "katas/prenorm-block/" + COMPONENT, "./kata watch prenorm-block")
                .doesNotContain("Hint 1");
        assertThat(kata("start", SLUG, "--interview")).isZero();
        assertThat(out()).contains("## The report").doesNotContain(Kata.read(root, SLUG).title(), "./kata hint");
        assertThat(kata("list")).isZero();
        assertThat(out()).contains("in progress");
    }

    @Test
    @DisplayName("solution asks first; no shows nothing, yes shows the diff and the explanation")
    void solution() {
        assertThat(kataWithInput("n\n", "solution", SLUG)).isZero();
        assertThat(out()).contains("[y/N]", "Not shown.").doesNotContain("@@");
        assertThat(kataWithInput("y\n", "solution", SLUG)).isZero();
        assertThat(out()).contains("@@ -27,", "-        x = attentionNorm.forward(x);",
                "+        NDArray h = attentionNorm.forward(x);", "# Solution");
    }

    @Test
    @DisplayName("a corrupt progress file is kept aside, never lost, and progress starts afresh")
    void corruptProgress() throws IOException {
        Files.createDirectories(root.resolve(".dojo"));
        Files.writeString(root.resolve(".dojo/progress.json"), "{ not json");
        assertThat(kata("list")).isZero();
        assertThat(err()).contains("was not valid progress", "kept it as progress.json.corrupt-");
        try (Stream<Path> files = Files.list(root.resolve(".dojo"))) {
            List<Path> aside = files.filter(p -> p.getFileName().toString().startsWith("progress.json.corrupt-")).toList();
            assertThat(aside).hasSize(1);
            assertThat(Files.readString(aside.get(0))).isEqualTo("{ not json");
        }
    }

    @Test
    @DisplayName("progress is written whole: valid JSON and no temporary files left behind")
    void progressIsWrittenAtomically() throws IOException {
        assertThat(kata("hint", SLUG)).isZero();
        try (Stream<Path> files = Files.list(root.resolve(".dojo"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("progress.json", "progress.json.lock");
        }
        assertThat(Files.readString(root.resolve(".dojo/progress.json"))).contains("\"prenorm-block\"", "\"hints\": 1");
    }

    @Test
    @DisplayName("reset restores the shipped source and keeps the learner's version under .dojo/backups")
    void reset() throws Exception {
        git("init", "-q");
        git("-c", "user.email=t@example.com", "-c", "user.name=t", "add", "-A");
        git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "catalogue");
        String shipped = Files.readString(component());
        Files.writeString(component(), shipped + "// my attempt\n");

        assertThat(kata("reset", SLUG)).isZero();

        assertThat(Files.readString(component())).isEqualTo(shipped);
        try (Stream<Path> walk = Files.walk(root.resolve(".dojo/backups"))) {
            List<Path> saved = walk.filter(p -> p.toString().endsWith("PreNormBlock.java")).toList();
            assertThat(saved).hasSize(1);
            assertThat(Files.readString(saved.get(0))).endsWith("// my attempt\n");
        }
        assertThat(kata("reset", SLUG)).isZero();
        assertThat(out()).contains("already as shipped");
    }

    @Test
    @DisplayName("reset outside a git checkout refuses clearly and changes nothing")
    void resetWithoutGit() throws IOException {
        String edited = Files.readString(component()) + "// mine\n";
        Files.writeString(component(), edited);
        assertThat(kata("reset", SLUG)).isEqualTo(2);
        assertThat(err()).contains("cannot find the shipped version");
        assertThat(Files.readString(component())).isEqualTo(edited);
    }

    @Test
    @DisplayName("verify checks the kata both ways and prints its row")
    void verify() {
        assertThat(kata("verify")).isZero();
        assertThat(out()).contains("prenorm-block", "✓ broken fails", "✓ solution passes", "✓ wrong fixes rejected",
                "✓ wrong fix drops-the-mask", "1 katas valid");
    }

    @Test
    @DisplayName("report writes one self-contained HTML page with its pictures embedded and the layer-by-layer trace")
    void report() throws IOException {
        Path page = root.resolve("page.html");
        assertThat(kata("report", SLUG, "--seed", "3", "-o", page.toString())).isZero();
        assertThat(out()).isEqualTo("wrote " + page + "\n");
        String html = Files.readString(page);
        assertThat(html).contains("prenorm-block", "residual identity", "Attention maps", "data:image/png;base64,")
                .doesNotContain("src=\"http");
        assertThat(html).contains("<h2>Layer by layer</h2>", "prenorm-block and reference run as a tiny model on the"
                + " same parameters and input (seed 3)", "◀ first divergence", "<details><summary>as the test prints it"
                + "</summary><pre>layer by layer, |Δ| of prenorm-block from reference");
    }

    @Test
    @DisplayName("report reruns the case at --seed N, and by default the case at the seed the kata's tests run at")
    void reportSeeds() throws IOException {
        String chosen = System.clearProperty(Seeded.SEED_PROPERTY);
        try {
            Path byDefault = root.resolve("default.html");
            Path three = root.resolve("three.html");
            Path five = root.resolve("five.html");
            assertThat(kata("report", SLUG, "-o", byDefault.toString())).isZero();
            assertThat(kata("report", SLUG, "--seed", "3", "-o", three.toString())).isZero();
            System.setProperty(Seeded.SEED_PROPERTY, "5");   // as ./kata test --seed 5 runs the kata's tests
            assertThat(kata("report", SLUG, "-o", five.toString())).isZero();

            String atDefault = Files.readString(byDefault);
            String atThree = Files.readString(three);
            String atFive = Files.readString(five);
            assertThat(seedOf(atDefault)).as("the default seed").isNotIn(3L, 5L);
            assertThat(seedOf(atThree)).isEqualTo(3);
            assertThat(atThree).contains("(seed 3)");
            assertThat(seedOf(atFive)).as("the seed the kata's tests run at").isEqualTo(5);
            assertThat(golden(atThree)).as("the case at seed 3").isNotEqualTo(golden(atDefault));
            assertThat(golden(atFive)).as("the case at seed 5").isNotEqualTo(golden(atDefault));
        } finally {
            restore(Seeded.SEED_PROPERTY, chosen);
        }
    }

    @Test
    @DisplayName("report refuses a seed that is not a whole number, saying what a seed is, with exit 2")
    void reportRefusesABadSeed() {
        for (String seed : List.of("seven", "3.5", "99999999999999999999")) {
            assertThat(kata("report", SLUG, "--seed", seed)).as("--seed %s", seed).isEqualTo(2);
            assertThat(err()).contains("Invalid value for option '--seed': '" + seed + "' is not a seed: give the whole"
                    + " number a failure printed after 'seed:', e.g. --seed 7").doesNotContain("Exception");
        }
    }

    @Test
    @DisplayName("report shows the evidence only and names no bug, unless coached (--coach or every hint read):"
            + " then the bugs the probes fit")
    void reportNamesNoBugUnlessCoached() throws IOException {
        // the CLI process's own dojo.mode is not the report's: only --coach and the hints decide
        String mode = System.setProperty(Mode.PROPERTY, "coach");
        try {
            Path evidence = root.resolve("evidence.html");
            Path coached = root.resolve("coached.html");
            Path hinted = root.resolve("hinted.html");
            assertThat(kata("report", SLUG, "-o", evidence.toString())).isZero();
            assertThat(kata("report", SLUG, "--coach", "-o", coached.toString())).isZero();
            for (int i = 0; i < Briefing.read(Kata.read(root, SLUG)).hints().size(); i++) {
                assertThat(kata("hint", SLUG)).isZero();
            }
            assertThat(kata("report", SLUG, "-o", hinted.toString())).isZero();

            assertThat(Files.readString(evidence)).contains("residual identity")
                    .doesNotContainIgnoringCase("consistent with").doesNotContain("residual placement");
            for (Path page : List.of(coached, hinted)) {
                assertThat(Files.readString(page)).as(page.getFileName().toString()).contains(
                        "<h2>Consistent with</h2>", "<li><strong>residual placement</strong>");
            }
        } finally {
            restore(Mode.PROPERTY, mode);
        }
    }

    private static final Pattern SEED = Pattern.compile("<th>seed</th><td>(-?\\d+) \\(reruns this exact case\\)</td>");

    /** The seed a report page names. */
    private static long seedOf(String html) {
        Matcher m = SEED.matcher(html);
        assertThat(m.find()).as("the page names its seed").isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The comparison with ground truth, without the seed that names it. */
    private static String golden(String html) {
        String section = html.substring(html.indexOf("<section id=\"golden\">"), html.indexOf("</section>"));
        return SEED.matcher(section).replaceAll("").replaceAll("seed: -?\\d+", "");
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @Test
    @DisplayName("probes prints the kill matrix and exits 0 while every probe and variant is covered")
    void probes() {
        assertThat(kata("probes")).isZero();
        assertThat(out()).contains("prenorm-residual-from-norm", "mask-on-query-axis", "rope-from-one", "kills");
    }

    @Test
    @DisplayName("watch reruns the tests after a save and reports the new verdict")
    void watch() throws Exception {
        Thread watcher = new Thread(() -> kata("watch", SLUG, "--runs", "2"));
        watcher.start();
        long deadline = System.currentTimeMillis() + 120_000;
        while (!out().contains("waiting for a save") && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        solve();
        watcher.join(120_000);
        assertThat(watcher.isAlive()).isFalse();
        assertThat(out()).containsPattern("\\d+ passed, [1-9]\\d* failed").containsPattern("\\d+ passed, 0 failed")
                .contains("ms after save", "Solved: every test passes and every probe holds.");
    }

    @Test
    @DisplayName("a learner's endless loop ends in a timeout that names the test, and ./kata exits")
    void endlessLoop() throws Exception {
        Files.writeString(component(), Files.readString(component())
                .replace("return x.add(feedForward.forward(h));", "while (h != null) { x.getShape(); }\n        return x;"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Ddojo.root=" + root, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "test", SLUG, "--timeout", "2").redirectErrorStream(true).start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as("./kata test ended").isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(output).contains("did not finish within 2 s (PreNormBlockTest#", "endless loop");
    }

    private void git(String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = root.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).as("git %s", String.join(" ", args)).isZero();
    }

    private static void copy(Path from, Path to) throws IOException {
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
