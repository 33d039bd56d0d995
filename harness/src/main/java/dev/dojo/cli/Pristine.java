package dev.dojo.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A kata's files as the catalogue shipped them, read from the checkout's git history.
 *
 * <p>The shipped version of a kata folder is the folder at one commit, found in two steps:
 * <ol>
 *   <li><b>Upstream.</b> Start from the merge-base of {@code HEAD} with the remote's default branch
 *       (the first of {@code upstream/HEAD}, {@code origin/HEAD}, {@code origin/main},
 *       {@code origin/master} that exists), so commits the learner made in this clone are left out;
 *       without any of those remotes, start from {@code HEAD}.</li>
 *   <li><b>Not the learner's.</b> From there, take the newest commit that changed the kata's folder
 *       and whose author email is not the learner's (the one git would sign their commits with,
 *       {@code git var GIT_AUTHOR_IDENT}), so commits the learner pushed to a fork, or made where
 *       there is no remote, are left out too. When every commit that changed the folder is by the
 *       learner's identity (a contributor who wrote the kata), the folder as of step 1.</li>
 * </ol>
 * A learner's uncommitted edits never count. None of this exists without git, or in a checkout
 * without the kata's history (a downloaded archive): then {@link #of} is empty.
 */
final class Pristine {
    private static final List<String> REMOTE_DEFAULTS = List.of("refs/remotes/upstream/HEAD", "refs/remotes/origin/HEAD",
            "refs/remotes/origin/main", "refs/remotes/origin/master");

    private final Path root;
    private final String commit;

    private Pristine(Path root, String commit) {
        this.root = root;
        this.commit = commit;
    }

    /** The shipped version of {@code folder} (a kata's folder under {@code root}); empty when git has no history of it. */
    static Optional<Pristine> of(Path root, Path folder) {
        String relative = relative(root, folder);
        Optional<String> base = base(root);
        if (base.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> log = git(root, "log", "--format=%H%x09%ae", base.get(), "--", relative).map(Pristine::text);
        if (log.isEmpty() || log.get().isBlank()) {
            return Optional.empty();
        }
        String learner = learnerEmail(root).orElse(null);
        for (String line : log.get().lines().toList()) {
            int tab = line.indexOf('\t');
            String email = line.substring(tab + 1).trim();
            if (learner == null || !email.equalsIgnoreCase(learner)) {
                return Optional.of(new Pristine(root, line.substring(0, tab)));
            }
        }
        return Optional.of(new Pristine(root, base.get()));
    }

    /** The commit the shipped files are read from. */
    String commit() {
        return commit;
    }

    /** Every shipped file under {@code folder}, by its path under the root, with its content; empty if none was shipped there. */
    Map<Path, byte[]> files(Path folder) {
        Map<Path, byte[]> files = new LinkedHashMap<>();
        Optional<byte[]> listing = git(root, "ls-tree", "-r", "-z", "--name-only", commit, "--", relative(root, folder));
        if (listing.isEmpty()) {
            return files;
        }
        for (String name : text(listing.get()).split("\0")) {
            if (!name.isEmpty()) {
                Path file = root.resolve(name);
                content(file).ifPresent(bytes -> files.put(file, bytes));
            }
        }
        return files;
    }

    /** The shipped content of {@code file}; empty when it was not shipped. */
    Optional<byte[]> content(Path file) {
        return git(root, "cat-file", "blob", commit + ":./" + relative(root, file));
    }

    /**
     * The shipped content of {@code file} (under {@code root}/katas/SLUG) in a temporary file; empty
     * when git, the kata's history or the file in it is missing.
     */
    static Optional<Path> copy(Path root, Path file) {
        Path relative = root.relativize(file);
        Path folder = relative.getNameCount() > 2 && relative.getName(0).toString().equals("katas")
                ? root.resolve(relative.subpath(0, 2)) : file;
        Optional<byte[]> content = of(root, folder).flatMap(p -> p.content(file));
        if (content.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path copy = Files.createTempFile("dojo-pristine", ".java");
            copy.toFile().deleteOnExit();
            Files.write(copy, content.get());
            return Optional.of(copy);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Step 1: the merge-base with the remote's default branch, else HEAD; empty without a commit. */
    private static Optional<String> base(Path root) {
        for (String ref : REMOTE_DEFAULTS) {
            if (git(root, "rev-parse", "--verify", "-q", ref + "^{commit}").isPresent()) {
                Optional<String> mergeBase = git(root, "merge-base", "HEAD", ref).map(Pristine::text).map(String::trim);
                if (mergeBase.isPresent()) {
                    return mergeBase;
                }
            }
        }
        return git(root, "rev-parse", "--verify", "-q", "HEAD^{commit}").map(Pristine::text).map(String::trim);
    }

    /** The email git would sign the learner's commits with; empty when git has none. */
    private static Optional<String> learnerEmail(Path root) {
        return git(root, "var", "GIT_AUTHOR_IDENT").map(Pristine::text).flatMap(ident -> {
            int open = ident.indexOf('<');
            int close = ident.indexOf('>', open + 1);
            return open < 0 || close < 0 ? Optional.empty()
                    : Optional.of(ident.substring(open + 1, close).trim().toLowerCase(Locale.ROOT));
        }).filter(email -> !email.isEmpty());
    }

    private static String relative(Path root, Path path) {
        String relative = root.relativize(path).toString().replace('\\', '/');
        return relative.isEmpty() ? "." : relative;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** git's standard output when it ran in {@code root} and exited 0; empty otherwise (no git, not a repository, a failure). */
    private static Optional<byte[]> git(Path root, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        try {
            Process git = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            git.getOutputStream().close();
            byte[] out;
            try (InputStream in = git.getInputStream()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                in.transferTo(bytes);
                out = bytes.toByteArray();
            }
            if (!git.waitFor(30, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return Optional.empty();
            }
            return git.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
