package dev.dojo.daemon;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlaceTest {
    @TempDir
    Path root;

    @Test
    @DisplayName("the daemon's folder is .dojo/daemon, made owner-only even where it was open to all")
    void ownerOnlyFolder() throws IOException {
        Place place = Place.of(root);
        Files.createDirectories(place.folder(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(place.folder(), PosixFilePermissions.fromString("rwxrwxrwx"));

        place.prepare();

        assertThat(place.folder()).isEqualTo(root.resolve(".dojo/daemon"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(place.folder()))).isEqualTo("rwx------");
    }

    @Test
    @DisplayName("a checkout too deep for a socket's address gets a folder of its own in the temporary folder")
    void deepCheckout() throws IOException {
        Path deep = root.resolve("a".repeat(60)).resolve("b".repeat(60));

        Place place = Place.of(deep).prepare();

        assertThat(place.socket().toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(100);
        assertThat(place.folder()).startsWith(Path.of(System.getProperty("java.io.tmpdir")));
        assertThat(Place.of(deep)).isEqualTo(place).isNotEqualTo(Place.of(deep.resolveSibling("c")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(place.folder()))).isEqualTo("rwx------");
    }

    @Test
    @DisplayName("a link where the folder should be is refused: the socket would be where the link points")
    void linkRefused() throws IOException {
        Path elsewhere = Files.createDirectory(root.resolve("elsewhere"));
        Files.createDirectories(root.resolve(".dojo"));
        Files.createSymbolicLink(root.resolve(".dojo/daemon"), elsewhere);

        assertThatThrownBy(() -> Place.of(root).prepare()).isInstanceOf(IOException.class).hasMessageContaining("not a folder");
    }

    @Test
    @DisplayName("a hello reads back as written; one of another version reads as none")
    void hello() throws IOException {
        Wire.Hello hello = new Wire.Hello(Wire.Ask.RUN, "abc", "/work", true, List.of("test", "prenorm-block", "ü\u001b"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        hello.write(new DataOutputStream(bytes));

        assertThat(Wire.Hello.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())))).isEqualTo(hello);
        byte[] other = bytes.toByteArray();
        other[3]++;
        assertThat(Wire.Hello.read(new DataInputStream(new ByteArrayInputStream(other)))).isNull();
    }
}
