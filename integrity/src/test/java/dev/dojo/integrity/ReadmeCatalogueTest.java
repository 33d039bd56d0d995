package dev.dojo.integrity;

import dev.dojo.kata.Catalogue;
import dev.dojo.kata.Kata;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each fact about a kata is written once, in its kata.json: the README's table and each briefing's title follow it. */
class ReadmeCatalogueTest {
    private static final Path ROOT = Path.of(System.getProperty("dojo.root", "..")).toAbsolutePath().normalize();

    @Test
    @DisplayName("the README's catalogue is exactly the table the katas' kata.json files generate (./kata catalogue --write)")
    void readmeCatalogueIsGenerated() {
        List<Kata> katas = Kata.all(ROOT);

        assertThat(Catalogue.current(ROOT.resolve("README.md")))
                .as("README.md's catalogue; run ./kata catalogue --write to regenerate it")
                .isEqualTo(Catalogue.table(katas));
    }

    @Test
    @DisplayName("every kata module the build lists has a kata.json, and every kata.json's module is built")
    void everyKataIsAModule() throws IOException {
        String modules = Files.readString(ROOT.resolve("katas/pom.xml"));

        for (Kata kata : Kata.all(ROOT)) {
            assertThat(modules).as("katas/pom.xml lists the module of %s", kata.slug())
                    .contains("<module>" + kata.slug() + "</module>");
            assertThat(Files.readString(kata.kataDir().resolve("pom.xml")))
                    .as("katas/%s/pom.xml's artifactId is its slug", kata.slug())
                    .contains("<artifactId>" + kata.slug() + "</artifactId>");
        }
        assertThat(modules.split("<module>", -1)).as("modules in katas/pom.xml").hasSize(Kata.all(ROOT).size() + 1);
    }

    @Test
    @DisplayName("each briefing is headed by its kata's title and repeats none of kata.json's other facts")
    void briefingsFollowKataJson() throws IOException {
        for (Kata kata : Kata.all(ROOT)) {
            List<String> lines = Files.readAllLines(kata.kataDir().resolve("README.md"));

            assertThat(lines.get(0)).as("first line of katas/%s/README.md", kata.slug()).isEqualTo("# " + kata.title());
            assertThat(lines).as("katas/%s/README.md repeats no metadata table; the CLI prints it from kata.json",
                    kata.slug()).noneMatch(line -> line.startsWith("| slug |"));
        }
    }
}
