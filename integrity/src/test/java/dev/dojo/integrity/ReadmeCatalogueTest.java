package dev.dojo.integrity;

import dev.dojo.kata.Kata;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's catalogue table lists every kata, as its kata.json describes it. */
class ReadmeCatalogueTest {
    private static final Path ROOT = Path.of(System.getProperty("dojo.root", "..")).toAbsolutePath().normalize();

    @Test
    @DisplayName("the README's catalogue has one row per kata, with its title, difficulty, topics and time box")
    void readmeListsEveryKata() throws IOException {
        List<String> rows = Files.readAllLines(ROOT.resolve("README.md")).stream()
                .filter(line -> line.startsWith("| [`")).toList();
        List<Kata> katas = Kata.all(ROOT);

        for (Kata kata : katas) {
            String row = "| [`" + kata.slug() + "`](katas/" + kata.slug() + "/README.md) | " + kata.title() + " | "
                    + "★".repeat(kata.difficulty()) + "☆".repeat(5 - kata.difficulty()) + " | "
                    + String.join(", ", kata.topics()) + " | " + kata.timebox() + " |";
            assertThat(rows).as("README catalogue row for %s", kata.slug()).contains(row);
        }
        assertThat(rows).as("README catalogue rows").hasSize(katas.size());
    }
}
