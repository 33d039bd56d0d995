package dev.dojo.golden;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden models are extracted where every JVM finds them again: workers are killed, never left to
 * clean up after themselves, so a folder per JVM would be left behind on every run.
 */
class GoldenExtractionTest {

    @Test
    @DisplayName("a golden model is extracted once per user, into a folder named by its content")
    void sharedByContent() throws IOException {
        GoldenModel.named("layer_norm");

        Path cache = Path.of(System.getProperty("java.io.tmpdir"),
                "dojo-golden-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_"));
        List<Path> folders;
        try (Stream<Path> list = Files.list(cache)) {
            folders = list.filter(p -> p.getFileName().toString().startsWith("layer_norm-")).toList();
        }
        assertThat(folders).as("layer_norm's folders in %s", cache).hasSize(1);
        try (InputStream shipped = GoldenModel.class.getResourceAsStream("/golden/layer_norm.pt")) {
            assertThat(Files.readAllBytes(folders.get(0).resolve("layer_norm.pt"))).isEqualTo(shipped.readAllBytes());
        }
    }
}
