package dev.dojo.cli;

import dev.dojo.kata.Kata;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The checkout the CLI works in: its katas, and the learner's state under .dojo/.
 *
 * @param root    the checkout's root folder
 * @param notices where one-line notices about the learner's state go (a corrupt progress file kept
 *                aside, progress that cannot be saved)
 */
record Workspace(Path root, Notices notices) {

    /** The workspace at {@code root}, its notices on the process's error stream. */
    Workspace(Path root) {
        this(root, new Notices(System.err));
    }

    /** The root named by -Ddojo.root (the launcher sets it), else the working folder. */
    static Workspace fromSystem() {
        return new Workspace(Path.of(System.getProperty("dojo.root", ".")).toAbsolutePath().normalize());
    }

    /** This workspace with its notices going to {@code notices}. */
    Workspace withNotices(Notices notices) {
        return new Workspace(root, notices);
    }

    List<Kata> katas() {
        return Kata.all(root);
    }

    /** The kata called {@code slug}; an error listing the known ones if there is none. */
    Kata kata(String slug) {
        List<String> slugs = Kata.slugs(root);
        if (!slugs.contains(slug) || !Files.isRegularFile(root.resolve("katas").resolve(slug).resolve("kata.json"))) {
            throw new UserError("unknown kata '" + slug + "'. Known katas: " + String.join(", ", slugs));
        }
        return Kata.read(root, slug);
    }

    Path dojo() {
        return root.resolve(".dojo");
    }

    /**
     * The learner's progress, as of now, with entries kept under a kata's former slug moved to its
     * current one. Each change re-reads the file under its lock, so keeping this object for a while
     * never writes back stale counts.
     */
    Progress progress() {
        Progress progress = new Progress(dojo().resolve("progress.json"), notices);
        for (Kata kata : katas()) {
            for (String former : kata.formerly()) {
                progress.renamed(former, kata.slug());
            }
        }
        return progress;
    }
}
