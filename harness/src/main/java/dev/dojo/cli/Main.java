package dev.dojo.cli;

import ai.djl.ndarray.NDManager;
import dev.dojo.engine.Engines;
import dev.dojo.kata.Kata;
import dev.dojo.kata.KataTests;
import dev.dojo.variants.KillMatrix;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The {@code ./kata} command: {@code list} the catalogue, {@code test <slug>} runs a kata's tests
 * and prints what diverges, {@code probes} prints which probes kill which known-bad variants.
 * Exit codes: 0 all passed, 1 tests failed or did not compile (or a probe failed on the reference),
 * 2 bad input, 3 the engine could not start.
 */
public final class Main {
    static final Duration TEST_TIMEOUT = Duration.ofSeconds(30);

    private final Path root;
    private final PrintStream out;
    private final PrintStream err;

    Main(Path root, PrintStream out, PrintStream err) {
        this.root = root;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("dojo.root", ".")).toAbsolutePath().normalize();
        System.exit(new Main(root, System.out, System.err).run(args));
    }

    int run(String... args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            usage(out);
            return args.length == 0 ? 2 : 0;
        }
        try {
            return switch (args[0]) {
                case "list" -> list();
                case "test" -> args.length == 2 ? test(args[1]) : wrongUsage("test needs one kata: ./kata test <slug>");
                case "probes" -> probes();
                default -> wrongUsage("unknown command '" + args[0] + "'");
            };
        } catch (Engines.MissingNativeLibraryException e) {
            err.println("dojo: " + e.getMessage());
            return 3;
        } catch (IllegalArgumentException e) {
            err.println("dojo: " + e.getMessage());
            return 2;
        }
    }

    private int list() {
        List<Kata> katas = Kata.all(root);
        int width = katas.stream().mapToInt(k -> k.slug().length()).max().orElse(4);
        int titleWidth = katas.stream().mapToInt(k -> k.title().length()).max().orElse(5);
        out.printf(Locale.ROOT, "%-" + width + "s  %-" + titleWidth + "s  %-10s  %-8s  %s%n", "kata", "title", "difficulty",
                "time box", "topics");
        for (Kata k : katas) {
            out.printf(Locale.ROOT, "%-" + width + "s  %-" + titleWidth + "s  %-10s  %-8s  %s%n", k.slug(), k.title(),
                    stars(k.difficulty()), k.timebox(), String.join(", ", k.topics()));
        }
        return 0;
    }

    private int test(String slug) {
        Kata kata = known(slug);
        Path module = kata.kataDir();
        try {
            KataCompiler.compileIfStale(module, module.resolve("src/test/java"));
        } catch (KataCompiler.CompileError e) {
            out.println(slug + " does not compile:");
            out.println(e.getMessage().indent(2).stripTrailing());
            return 1;
        }
        out.println(slug + ": " + kata.title());
        out.println();
        Path tests = module.resolve("target/test-classes");
        List<KataTests.Outcome> outcomes = KataTests.run(List.of(module.resolve("target/classes"), tests), tests,
                TEST_TIMEOUT, this::print);
        long passed = outcomes.stream().filter(KataTests.Outcome::passed).count();
        long failed = outcomes.size() - passed;
        out.println();
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 && passed > 0 ? 0 : 1;
    }

    private int probes() {
        try (NDManager manager = Engines.newManager()) {
            KillMatrix matrix = KillMatrix.compute(manager);
            out.print(matrix.render());
            return matrix.referenceFailures().isEmpty() ? 0 : 1;
        }
    }

    private void print(KataTests.Outcome outcome) {
        switch (outcome.status()) {
            case PASSED -> out.println("  ✓ " + outcome.displayName());
            case SKIPPED -> out.println("  - " + outcome.displayName() + " (skipped: " + outcome.message() + ")");
            case TIMED_OUT -> out.println("  ✗ " + outcome.displayName() + "\n      did not finish within "
                    + TEST_TIMEOUT.toSeconds() + " s: is there an endless loop in " + outcome.id() + "'s path?");
            case FAILED_BY_ERROR -> out.println("  ✗ " + outcome.displayName() + "\n"
                    + ("threw " + outcome.message() + "\n" + where(outcome.failure())).indent(6).stripTrailing());
            case FAILED_BY_ASSERTION -> out.println("  ✗ " + outcome.displayName() + "\n"
                    + outcome.message().indent(6).stripTrailing());
        }
    }

    /** The first stack frames in kata code, so an exception points at the learner's line. */
    private static String where(Throwable failure) {
        StringBuilder s = new StringBuilder();
        int shown = 0;
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().startsWith("dev.dojo.katas.") && shown < 3) {
                s.append("at ").append(frame).append('\n');
                shown++;
            }
        }
        return s.toString().stripTrailing();
    }

    private Kata known(String slug) {
        List<String> slugs = Kata.slugs(root);
        if (!slugs.contains(slug) || !Files.isRegularFile(root.resolve("katas").resolve(slug).resolve("kata.json"))) {
            throw new IllegalArgumentException("unknown kata '" + slug + "'. Known katas: " + String.join(", ", slugs));
        }
        return Kata.read(root, slug);
    }

    private int wrongUsage(String problem) {
        err.println("dojo: " + problem);
        usage(err);
        return 2;
    }

    private static void usage(PrintStream to) {
        to.println("usage: ./kata list            the catalogue");
        to.println("       ./kata test <slug>     run a kata's tests and show where it diverges");
        to.println("       ./kata probes          run every probe on every known-bad variant: the kill matrix");
    }

    private static String stars(int difficulty) {
        return "★".repeat(difficulty) + "☆".repeat(5 - difficulty);
    }
}
