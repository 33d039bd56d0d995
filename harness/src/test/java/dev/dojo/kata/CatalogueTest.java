package dev.dojo.kata;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogueTest {
    @TempDir
    Path root;

    private Kata kata(String slug, String title, int difficulty) {
        return new Kata(slug, title, difficulty, List.of("attention", "masks"), "20 min", List.of(), List.of("T#m"),
                "G", List.of(), null, null, root);
    }

    @Test
    @DisplayName("the table has a header and one row per kata, with its link, title, stars, topics and time box")
    void table() {
        String table = Catalogue.table(List.of(kata("a-kata", "A symptom", 2), kata("b-kata", "Another", 5)));

        assertThat(table).isEqualTo("""
                | kata | title | difficulty | topics | time box |
                |---|---|---|---|---|
                | [`a-kata`](katas/a-kata/README.md) | A symptom | ★★☆☆☆ | attention, masks | 20 min |
                | [`b-kata`](katas/b-kata/README.md) | Another | ★★★★★ | attention, masks | 20 min |
                """);
    }

    @Test
    @DisplayName("write replaces only what stands between the markers, and a second write changes nothing")
    void write() throws IOException {
        Path readme = root.resolve("README.md");
        Files.writeString(readme, "# Title\n\n" + Catalogue.BEGIN + "\n| stale |\n" + Catalogue.END + "\n\nAfter.\n");
        List<Kata> katas = List.of(kata("a-kata", "A symptom", 2));

        assertThat(Catalogue.write(readme, katas)).isTrue();
        assertThat(Catalogue.write(readme, katas)).isFalse();

        assertThat(Catalogue.current(readme)).isEqualTo(Catalogue.table(katas));
        assertThat(Files.readString(readme)).startsWith("# Title\n\n" + Catalogue.BEGIN + "\n| kata |")
                .endsWith(Catalogue.END + "\n\nAfter.\n").doesNotContain("stale");
    }

    @Test
    @DisplayName("a README without the markers is an error naming the file and the markers")
    void missingMarkers() throws IOException {
        Path readme = root.resolve("README.md");
        Files.writeString(readme, "# Title\n");

        assertThatThrownBy(() -> Catalogue.current(readme)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(readme + " has no catalogue between '" + Catalogue.BEGIN + "' and '" + Catalogue.END + "'");
    }
}
