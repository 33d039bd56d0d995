package dev.dojo.kata;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading kata.json: every field, and a clear error naming the file and the field when one is wrong. */
class KataTest {
    private static final String VALID = """
            {
              "title": "The demo kata",
              "difficulty": 3,
              "topics": ["attention", "masks"],
              "timebox": "20 min",
              "triggering": ["DemoTest#first", "DemoTest#second"],
              "formerly": ["old-demo"],
              "equivalentMutants": [{"line": 12, "mutator": "NakedReceiverMutator", "why": "the same tensor"}],
              "golden": "dev.dojo.katas.demo.DemoGolden"
            }
            """;

    @TempDir
    Path root;

    private Path write(String slug, String json) throws IOException {
        Path file = root.resolve("katas").resolve(slug).resolve("kata.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
    }

    /** VALID with the line that holds {@code field} replaced by {@code line} (or removed when line is empty). */
    private static String with(String field, String line) {
        return VALID.lines().map(l -> l.trim().startsWith("\"" + field + "\"") ? line : l)
                .filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    @DisplayName("a valid kata.json gives every field, and where the kata and its solution live")
    void readsValidKata() throws IOException {
        write("demo", VALID);

        Kata kata = Kata.read(root, "demo");

        assertThat(kata.slug()).isEqualTo("demo");
        assertThat(kata.title()).isEqualTo("The demo kata");
        assertThat(kata.difficulty()).isEqualTo(3);
        assertThat(kata.topics()).containsExactly("attention", "masks");
        assertThat(kata.timebox()).isEqualTo("20 min");
        assertThat(kata.triggering()).containsExactly("DemoTest#first", "DemoTest#second");
        assertThat(kata.golden()).isEqualTo("dev.dojo.katas.demo.DemoGolden");
        assertThat(kata.kataDir()).isEqualTo(root.resolve("katas/demo"));
        assertThat(kata.solutionDir()).isEqualTo(root.resolve("solutions/demo"));
        assertThat(kata.wrongFixesDir()).isEqualTo(root.resolve("solutions/demo/wrong-fixes"));
        assertThat(kata.formerly()).containsExactly("old-demo");
        assertThat(kata.equivalentMutants()).containsExactly(
                new Kata.EquivalentMutant(12, "NakedReceiverMutator", "the same tensor"));
    }

    @Test
    @DisplayName("the optional fields may be left out")
    void optionalFields() throws IOException {
        write("demo", with("formerly", "").lines().filter(l -> !l.contains("equivalentMutants"))
                .reduce("", (a, b) -> a + b + "\n"));

        Kata kata = Kata.read(root, "demo");

        assertThat(kata.formerly()).isEmpty();
        assertThat(kata.equivalentMutants()).isEmpty();
    }

    @Test
    @DisplayName("a kata is found by a slug it had before")
    void formerSlug() throws IOException {
        write("demo", VALID);

        assertThat(Kata.formerlyCalled(root, "old-demo")).get().extracting(Kata::slug).isEqualTo("demo");
        assertThat(Kata.formerlyCalled(root, "demo")).isEmpty();
    }

    @Test
    @DisplayName("an equivalent mutant without a reason is an error naming the file")
    void equivalentMutantNeedsAReason() throws IOException {
        Path file = write("demo", VALID.replace("\"why\": \"the same tensor\"", "\"why\": \" \""));

        assertThatThrownBy(() -> Kata.read(root, "demo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + " has an equivalent mutant without a line, a mutator and a reason");
    }

    @ParameterizedTest(name = "without \"{0}\": {1}")
    @DisplayName("a missing field is named in the error, with the file")
    @CsvSource(delimiter = '|', value = {
            "title      | has no title",
            "difficulty | needs a difficulty from 1 to 5, got null",
            "topics     | has no topics",
            "timebox    | has no timebox",
            "triggering | declares no triggering tests",
            "golden     | names no golden case class",
    })
    void missingField(String field, String problem) throws IOException {
        String json = with(field, "");
        if (field.equals("golden")) {
            json = json.replace("\"the same tensor\"}],", "\"the same tensor\"}]");
        }
        Path file = write("demo", json);

        assertThatThrownBy(() -> Kata.read(root, "demo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + " " + problem);
    }

    static Stream<Arguments> invalidFields() {
        return Stream.of(
                Arguments.of("difficulty", "\"difficulty\": 0,", "needs a difficulty from 1 to 5, got 0"),
                Arguments.of("difficulty", "\"difficulty\": 6,", "needs a difficulty from 1 to 5, got 6"),
                Arguments.of("topics", "\"topics\": [],", "has no topics"),
                Arguments.of("topics", "\"topics\": [\"masks\", null],", "has a null among its topics"),
                Arguments.of("triggering", "\"triggering\": [],", "declares no triggering tests"),
                Arguments.of("triggering", "\"triggering\": [\"first\"],",
                        "triggering test 'first' must read Class#method"),
                Arguments.of("triggering", "\"triggering\": [null],",
                        "triggering test 'null' must read Class#method"));
    }

    @ParameterizedTest(name = "{1}  →  {2}")
    @DisplayName("an invalid field is named in the error, with the file")
    @MethodSource("invalidFields")
    void invalidField(String field, String line, String problem) throws IOException {
        Path file = write("demo", with(field, "  " + line));

        assertThatThrownBy(() -> Kata.read(root, "demo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + " " + problem);
    }

    @ParameterizedTest(name = "{1}")
    @DisplayName("a field of the wrong type is reported as invalid JSON, naming the field's path")
    @CsvSource(delimiter = '|', value = {
            "topics     | \"topics\": \"masks\",",
            "difficulty | \"difficulty\": 2.5,",
            "title      | \"title\": [\"The\", \"demo\"],",
    })
    void wrongType(String field, String line) throws IOException {
        Path file = write("demo", with(field, "  " + line));

        assertThatThrownBy(() -> Kata.read(root, "demo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + " is not valid JSON: ")
                .hasMessageContaining("path $." + field);
    }

    @Test
    @DisplayName("a file that is not JSON says so, with the file")
    void notJson() throws IOException {
        Path file = write("demo", "slug: demo\n");

        assertThatThrownBy(() -> Kata.read(root, "demo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + " is not valid JSON: ");
    }

    @Test
    @DisplayName("an empty file says so, with the file")
    void emptyFile() throws IOException {
        Path file = write("demo", "");

        assertThatThrownBy(() -> Kata.read(root, "demo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + " is empty");
    }

    @Test
    @DisplayName("a kata.json that names a slug is refused: the folder's name is the slug")
    void slugInJson() throws IOException {
        Path file = write("other", VALID.replace("{", "{\n  \"slug\": \"demo\","));

        assertThatThrownBy(() -> Kata.read(root, "other"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + " names a slug; the folder's name is the slug, so kata.json has none");
    }

    @Test
    @DisplayName("a kata without kata.json is an error naming the file")
    void missingFile() {
        Path file = root.resolve("katas/ghost/kata.json");

        assertThatThrownBy(() -> Kata.read(root, "ghost"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("cannot read " + file);
    }

    @Test
    @DisplayName("all lists every folder with a kata.json, sorted by slug, and nothing else")
    void allSortedBySlug() throws IOException {
        for (String slug : List.of("rope-off-by-one", "attention-mask", "prenorm-residual")) {
            write(slug, VALID);
        }
        Files.createDirectories(root.resolve("katas/notes"));
        Files.writeString(root.resolve("katas/README.md"), "# katas\n");

        assertThat(Kata.all(root)).extracting(Kata::slug)
                .containsExactly("attention-mask", "prenorm-residual", "rope-off-by-one");
        assertThat(Kata.slugs(root)).containsExactly("attention-mask", "prenorm-residual", "rope-off-by-one");
    }

    @Test
    @DisplayName("all with no katas folder is an error naming the folder")
    void allWithoutKatasFolder() {
        assertThatThrownBy(() -> Kata.all(root))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("cannot list " + root.resolve("katas"));
    }
}
