package dev.dojo.integrity;

import dev.dojo.kata.Integrity;
import dev.dojo.kata.Kata;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kata.ProbeGate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kata in the catalogue, checked both ways: katas/SLUG as the reactor built it (declared
 * before this module, so built first), against solutions/SLUG and its wrong fixes, which the check
 * compiles with the kata's tests.
 */
class CatalogueIntegrityTest {
    private static final Path ROOT = Path.of(System.getProperty("dojo.root", "..")).toAbsolutePath().normalize();

    @Test
    @DisplayName("on their broken sources, the katas break different probes; a kata no probe can see says why")
    void katasHaveDistinctProbeSignatures() throws Exception {
        Map<String, Set<String>> failing = new TreeMap<>();
        for (Kata kata : Kata.all(ROOT)) {
            Integrity.Side broken = Integrity.Side.maven(kata.kataDir());
            URL[] urls = broken.classpath().stream().map(CatalogueIntegrityTest::url).toArray(URL[]::new);
            try (URLClassLoader loader = new URLClassLoader(urls, getClass().getClassLoader())) {
                GoldenCase golden = (GoldenCase) Class.forName(kata.golden(), true, loader)
                        .getDeclaredConstructor().newInstance();
                assertThat(golden.kit()).as("kit of kata %s", kata.slug()).isNotNull();
                Set<String> names = new TreeSet<>();
                ProbeGate.failing(ProbeGate.check(golden.kit(), 1, ProbeGate.SEEDS)).forEach(r -> names.add(r.probe()));
                if (kata.noProbeSees() == null) {
                    assertThat(names).as("probes the broken %s fails (a kata whose bug breaks no property says why"
                            + " in kata.json's noProbeSees)", kata.slug()).isNotEmpty();
                    failing.put(kata.slug(), names);
                } else {
                    assertThat(names).as("probes the broken %s fails, although its kata.json says no probe sees it",
                            kata.slug()).isEmpty();
                }
            }
        }
        for (String a : failing.keySet()) {
            for (String b : failing.keySet()) {
                if (a.compareTo(b) < 0 && failing.get(a).equals(failing.get(b))) {
                    assertThat(declaresShared(a, b) || declaresShared(b, a))
                            .as("katas %s and %s break the same probes %s; if no probe can tell their bugs apart,"
                                    + " one of them says so in kata.json's sharesProbes", a, b, failing.get(a)).isTrue();
                }
            }
        }
    }

    private static boolean declaresShared(String slug, String other) {
        Kata.SharedSignature shared = Kata.read(ROOT, slug).sharesProbes();
        return shared != null && shared.with().equals(other);
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyKataFailsAsDeclaredAndItsSolutionPasses() {
        List<Kata> katas = Kata.all(ROOT);
        assertThat(katas).as("katas under %s", ROOT.resolve("katas")).isNotEmpty();
        return katas.stream().map(kata -> DynamicTest.dynamicTest(kata.slug(), () -> {
            Integrity.Report report = Integrity.check(kata);
            System.out.println(report.row());
            for (Integrity.WrongFixVerdict fix : report.wrongFixes()) {
                System.out.println("    " + fix.line());
            }
            assertThat(report.problems()).as("integrity of kata %s", kata.slug()).isEmpty();
        }));
    }
}
