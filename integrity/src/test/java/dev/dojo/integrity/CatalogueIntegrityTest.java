package dev.dojo.integrity;

import dev.dojo.kata.Integrity;
import dev.dojo.kata.Kata;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kata in the catalogue, checked both ways against the classes the reactor built for
 * katas/SLUG and solutions/SLUG (declared before this module, so built first).
 */
class CatalogueIntegrityTest {
    private static final Path ROOT = Path.of(System.getProperty("dojo.root", "..")).toAbsolutePath().normalize();

    @TestFactory
    Stream<DynamicTest> everyKataFailsAsDeclaredAndItsSolutionPasses() {
        List<Kata> katas = Kata.all(ROOT);
        assertThat(katas).as("katas under %s", ROOT.resolve("katas")).isNotEmpty();
        return katas.stream().map(kata -> DynamicTest.dynamicTest(kata.slug(), () -> {
            Integrity.Report report = Integrity.check(kata);
            System.out.println(report.row());
            assertThat(report.problems()).as("integrity of kata %s", kata.slug()).isEmpty();
        }));
    }
}
