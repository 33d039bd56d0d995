package dev.dojo.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.dojo.cli.Cli.git;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * reset puts the kata's sources back as shipped: from the catalogue's commit even after the
 * learner's own commits, deleted files and folders included, and never loses the learner's work.
 */
class ResetTest {
    private static final String CATALOGUE = "-c user.name=Catalogue -c user.email=catalogue@example.com";
    private static final String TESTS = "src/test/java/dev/dojo/katas/prenorm";

    @TempDir
    Path temp;

    private Cli cli;
    private Map<String, String> shipped;

    @BeforeEach
    void catalogue() throws Exception {
        cli = new Cli(temp.resolve("catalogue"));
        git(cli.root, "init", "-q");
        git(cli.root, "config", "user.name", "Learner");
        git(cli.root, "config", "user.email", "learner@example.com");
        commitAs(cli.root, CATALOGUE, "the catalogue");
        shipped = sources(cli.root);
    }

    private Path kataDir() {
        return cli.root.resolve("katas").resolve(Cli.SLUG);
    }

    @Test
    @DisplayName("after the learner's own commits, reset restores the catalogue's version, not the learner's last commit")
    void afterTheLearnersCommits() throws Exception {
        String original = Files.readString(cli.component());
        Files.writeString(cli.component(), original + "// attempt 1\n");
        commitAs(cli.root, "", "attempt 1");
        Files.writeString(cli.component(), original + "// attempt 2\n");
        commitAs(cli.root, "", "attempt 2");
        Files.writeString(cli.component(), original + "// attempt 3, not committed\n");

        assertThat(cli.run("reset", Cli.SLUG)).isZero();

        assertThat(Files.readString(cli.component())).isEqualTo(original);
        assertThat(sources(cli.root)).isEqualTo(shipped);
        assertThat(backups()).singleElement().satisfies(saved ->
                assertThat(Files.readString(saved)).endsWith("// attempt 3, not committed\n"));
        assertThat(cli.out()).contains("restored katas/prenorm-block/" + Cli.COMPONENT + "; yours is in .dojo/backups/");
    }

    @Test
    @DisplayName("in a clone, commits the learner made under any identity do not count: the merge-base with origin does")
    void inACloneTheMergeBaseWithOrigin() throws Exception {
        Path clone = temp.resolve("clone");
        git(temp, "clone", "-q", cli.root.toString(), clone.toString());
        Cli learner = Cli.in(clone);
        String original = Files.readString(learner.component());
        Files.writeString(learner.component(), original + "// my fix\n");
        commitAs(clone, "-c user.name=Pair -c user.email=pair@example.com", "our fix");

        assertThat(learner.run("reset", Cli.SLUG)).isZero();

        assertThat(Files.readString(learner.component())).isEqualTo(original);
        assertThat(sources(clone)).isEqualTo(shipped);
    }

    @Test
    @DisplayName("a deleted component, a deleted test folder and an added file: all put back as shipped, the added file kept aside")
    void deletedFilesAndFolders() throws Exception {
        Files.delete(cli.component());
        delete(kataDir().resolve("src/test"));
        Path added = kataDir().resolve("src/main/java/dev/dojo/katas/prenorm/Scratch.java");
        Files.writeString(added, "class Scratch {}\n");

        assertThat(cli.run("reset", Cli.SLUG)).isZero();

        assertThat(sources(cli.root)).isEqualTo(shipped);
        assertThat(cli.out()).contains("restored katas/prenorm-block/" + Cli.COMPONENT + ", which was deleted",
                "restored katas/prenorm-block/" + TESTS + "/PreNormBlockTest.java, which was deleted",
                "took out katas/prenorm-block/src/main/java/dev/dojo/katas/prenorm/Scratch.java, which was not shipped;"
                        + " yours is in .dojo/backups/");
        assertThat(backups()).singleElement().satisfies(saved -> assertThat(Files.readString(saved))
                .isEqualTo("class Scratch {}\n"));

        assertThat(cli.run("reset", Cli.SLUG)).isZero();
        assertThat(cli.out()).isEqualTo("prenorm-block is already as shipped; nothing to reset.\n");
    }

    @Test
    @DisplayName("a contributor whose identity made every commit gets the folder as of HEAD")
    void everyCommitIsTheLearners() throws Exception {
        Path own = temp.resolve("own");
        Cli contributor = new Cli(own);
        git(own, "init", "-q");
        git(own, "config", "user.name", "Contributor");
        git(own, "config", "user.email", "contributor@example.com");
        commitAs(own, "", "a kata");
        String committed = Files.readString(contributor.component());
        Files.writeString(contributor.component(), committed + "// editing\n");

        assertThat(contributor.run("reset", Cli.SLUG)).isZero();

        assertThat(Files.readString(contributor.component())).isEqualTo(committed);
    }

    @Test
    @DisplayName("when the backup cannot be made (.dojo is a file), reset changes nothing and says why in one line")
    void cannotBackUp() throws Exception {
        Files.writeString(cli.root.resolve(".dojo"), "");
        String mine = Files.readString(cli.component()) + "// mine\n";
        Files.writeString(cli.component(), mine);

        assertThat(cli.run("reset", Cli.SLUG)).isEqualTo(2);

        assertThat(cli.err()).isEqualTo("dojo: cannot save your version in " + cli.root.resolve(".dojo")
                + " (it is a file, not a folder); nothing was reset\n");
        assertThat(Files.readString(cli.component())).isEqualTo(mine);
    }

    @Test
    @DisplayName("solution diffs the fix against the shipped source, not the learner's committed attempt")
    void solutionDiffsAgainstTheShippedSource() throws Exception {
        Files.writeString(cli.component(), Files.readString(cli.component()).replace("x = attentionNorm.forward(x);",
                "x = attentionNorm.forward(x); // tried"));
        commitAs(cli.root, "", "an attempt");

        assertThat(cli.run("solution", Cli.SLUG, "--yes")).isZero();

        assertThat(cli.out()).contains("-        x = attentionNorm.forward(x);").doesNotContain("// tried");
    }

    private static void commitAs(Path repo, String identity, String message) throws Exception {
        git(repo, "add", "-A");
        List<String> args = new java.util.ArrayList<>();
        if (!identity.isEmpty()) {
            args.addAll(List.of(identity.split(" ")));
        }
        args.addAll(List.of("commit", "-q", "-m", message));
        git(repo, args.toArray(String[]::new));
    }

    /** Every file under the kata's src/, by its path, with its content. */
    private Map<String, String> sources(Path root) throws IOException {
        Path src = root.resolve("katas").resolve(Cli.SLUG).resolve("src");
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(src.relativize(file).toString(), Files.readString(file));
            }
        }
        return files;
    }

    private List<Path> backups() throws IOException {
        try (Stream<Path> walk = Files.walk(cli.root.resolve(".dojo/backups"))) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
