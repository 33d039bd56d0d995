package dev.dojo.drills;

import dev.dojo.kata.Javac;
import dev.dojo.kata.LineDiff;
import dev.dojo.variants.Variants;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

// Contract (issue 10, done when): drills drawn across seeds each fail their tests or a probe, differ
// from the reference source in exactly the planted lines, and pass every test and every applicable
// probe once the reference's step body is put back. The tests and probes are the CLI's (the contract's
// test methods, ProbeGate at its seeds), called directly on part classes compiled once per distinct
// source: each variant's planted source, each part's reference source. DrillCliTest runs the same on
// the CLI's own path (a workspace, javac, the JUnit launcher) for one drill per topic.
class BlindDrillsTest {
    /** How many drills are drawn: seeds 1 to this (-Ddrills.count=N for more or fewer). */
    static final int DRILLS = Integer.getInteger("drills.count", 200);

    @TempDir
    Path scratch;

    private final Map<String, Class<?>> compiled = new HashMap<>();

    @Test
    @DisplayName("200 drills: each fails a test or a probe, differs from the reference only in its planted lines,"
            + " and the reference's step makes it pass")
    void drillsAcrossSeeds() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> drawn = new TreeMap<>();
        long start = System.nanoTime();
        for (long seed = 1; seed <= DRILLS; seed++) {
            Drill drill = Drill.draw(seed, Drills.plantable());
            drawn.merge(drill.variant().name(), 1, Integer::sum);
            Planted planted = drill.planted();
            String label = "seed " + seed + ", " + drill.variant().name() + " in " + drill.config().describe();

            List<String> outside = changedOutsidePlantedLines(planted);
            if (!outside.isEmpty()) {
                problems.add(label + ": changed outside the planted lines " + outside);
            }
            PartCase broken = ContractRun.caseOf(drill, compile(drill.variant().name(), planted.source(), drill.part()));
            if (ContractRun.failingTests(broken, true).isEmpty() && ContractRun.failingProbes(broken).isEmpty()) {
                problems.add(label + ": every test and probe passes with the bug in place");
            }
            PartCase fixed = ContractRun.caseOf(drill, compile("reference " + drill.part(), planted.reference(),
                    drill.part()));
            List<String> stillFailing = new ArrayList<>(ContractRun.failingTests(fixed, false));
            stillFailing.addAll(ContractRun.failingProbes(fixed));
            if (!stillFailing.isEmpty()) {
                problems.add(label + ": with the reference's step it still fails " + stillFailing);
            }
        }
        System.out.printf(Locale.ROOT, "%d drills checked both ways in %.1f s; bugs drawn: %s%n", DRILLS,
                (System.nanoTime() - start) / 1e9, drawn);

        assertThat(problems).isEmpty();
        assertThat(drawn.keySet()).as("bugs drawn over %d seeds", DRILLS).hasSize(Drills.plantable().size());
    }

    @Test
    @DisplayName("a line changed outside the planted lines is found")
    void changeOutsideIsFound() {
        Planted planted = Planter.plant(Variants.named("softmax-over-queries").orElseThrow());
        Planted tampered = new Planted(planted.variant(), planted.part(), planted.step(),
                planted.source().replace("public class Attention", "public class Attention "), planted.reference(),
                planted.first(), planted.last(), planted.referenceFirst(), planted.referenceLast());

        assertThat(changedOutsidePlantedLines(planted)).isEmpty();
        assertThat(changedOutsidePlantedLines(tampered)).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("public class Attention"));
    }

    /** The lines a line diff finds changed outside the planted lines (drill) or the step's body (reference). */
    static List<String> changedOutsidePlantedLines(Planted planted) {
        List<String> outside = new ArrayList<>();
        int before = 0;
        int after = 0;
        int changed = 0;
        for (LineDiff.Line line : LineDiff.diff(List.of(planted.reference().split("\n", -1)),
                List.of(planted.source().split("\n", -1)))) {
            switch (line.kind()) {
                case ' ' -> {
                    before++;
                    after++;
                }
                case '-' -> {
                    before++;
                    changed++;
                    if (before < planted.referenceFirst() || before > planted.referenceLast()) {
                        outside.add("-" + before + ": " + line.text().strip());
                    }
                }
                default -> {
                    after++;
                    changed++;
                    if (after < planted.first() || after > planted.last()) {
                        outside.add("+" + after + ": " + line.text().strip());
                    }
                }
            }
        }
        if (changed == 0) {
            outside.add("nothing planted: the source equals the reference");
        }
        return outside;
    }

    private Class<?> compile(String key, String source, DrillPart part) throws IOException {
        Class<?> found = compiled.get(key);
        if (found != null) {
            return found;
        }
        Path folder = scratch.resolve("c" + compiled.size());
        Path file = folder.resolve("src").resolve(part.className() + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        try {
            Javac.compile(List.of(file), folder.resolve("classes"), System.getProperty("java.class.path"));
        } catch (Javac.CompileError e) {
            throw new AssertionError(key + " does not compile:\n" + e.getMessage(), e);
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {folder.resolve("classes").toUri().toURL()},
                getClass().getClassLoader());
        try {
            found = loader.loadClass(Planter.PACKAGE + "." + part.className());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
        compiled.put(key, found);
        return found;
    }
}
