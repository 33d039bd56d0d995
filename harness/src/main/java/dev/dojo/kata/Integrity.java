package dev.dojo.kata;

import ai.djl.ndarray.NDManager;
import dev.dojo.engine.Engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The two-way check that makes a kata valid (as Defects4J does for its bugs): its tests fail on
 * the broken source, exactly the declared triggering tests and each by assertion; the same tests
 * pass on the solution; the fix is a small diff; and over many seeds the broken code sits far
 * outside the tolerance while the solution sits far inside it.
 */
public final class Integrity {
    public static final int MAX_CHANGED_LINES = 8;
    public static final int SEEDS = 20;
    public static final double BROKEN_AT_LEAST = 100;
    public static final double SOLUTION_AT_MOST = 0.1;
    public static final Duration TEST_TIMEOUT = Duration.ofSeconds(60);

    private Integrity() {}

    /** One side of a kata, compiled: its main sources, its class path (classes and test classes) and its test classes. */
    public record Side(Path sources, List<Path> classpath, Path testClasses) {
        /** The side as Maven builds it in {@code module}: src/main/java, target/classes, target/test-classes. */
        public static Side maven(Path module) {
            Path tests = module.resolve("target/test-classes");
            return new Side(module.resolve("src/main/java"), List.of(module.resolve("target/classes"), tests), tests);
        }
    }

    /** What the check found for one kata; valid when {@code problems} is empty. */
    public record Report(String slug, List<KataTests.Outcome> broken, List<KataTests.Outcome> solution,
                         int changedLines, double brokenLeast, double solutionMost, List<String> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }

        /** The report as one row of a table: kata, broken fails, solution passes, diff lines, separation. */
        public String row() {
            long failing = broken.stream().filter(o -> !o.passed()).count();
            long passing = solution.stream().filter(KataTests.Outcome::passed).count();
            return String.format(Locale.ROOT, "%-22s %s broken fails %d/%d   %s solution passes %d/%d   diff %d lines   "
                            + "separation ≥%.3gx / ≤%.2gx tolerance",
                    slug, mark(failing > 0), failing, broken.size(), mark(passing == solution.size() && passing > 0),
                    passing, solution.size(), changedLines, brokenLeast, solutionMost);
        }

        private static String mark(boolean ok) {
            return ok ? "✓" : "✗";
        }
    }

    /** Checks the kata with its triggering tests and golden case, broken and fixed sides as given. */
    public static Report check(String slug, Set<String> triggering, String goldenCase, Side broken, Side fixed) {
        List<String> problems = new ArrayList<>();
        List<KataTests.Outcome> brokenOutcomes = KataTests.run(broken.classpath(), broken.testClasses(), TEST_TIMEOUT, o -> {});
        List<KataTests.Outcome> fixedOutcomes = KataTests.run(fixed.classpath(), fixed.testClasses(), TEST_TIMEOUT, o -> {});

        if (brokenOutcomes.isEmpty()) {
            problems.add("no tests ran on the broken source");
        }
        Set<String> failed = new TreeSet<>(KataTests.ids(brokenOutcomes, KataTests.Status.FAILED_BY_ASSERTION,
                KataTests.Status.FAILED_BY_ERROR, KataTests.Status.TIMED_OUT));
        for (String id : triggering) {
            if (!failed.contains(id)) {
                problems.add("triggering test " + id + (ranIn(brokenOutcomes, id) ? " passes on the broken source"
                        : " did not run"));
            }
        }
        for (String id : failed) {
            if (!triggering.contains(id)) {
                problems.add("test " + id + " fails on the broken source but is not declared triggering");
            }
        }
        for (KataTests.Outcome outcome : brokenOutcomes) {
            if (outcome.status() == KataTests.Status.FAILED_BY_ERROR || outcome.status() == KataTests.Status.TIMED_OUT) {
                problems.add("test " + outcome.id() + " fails on the broken source by " + describe(outcome)
                        + ", not by assertion");
            }
        }
        if (fixedOutcomes.isEmpty()) {
            problems.add("no tests ran on the solution");
        }
        for (KataTests.Outcome outcome : fixedOutcomes) {
            if (!outcome.passed()) {
                problems.add("test " + outcome.id() + " does not pass on the solution: " + describe(outcome));
            }
        }

        int changed = changedLines(broken.sources(), fixed.sources(), problems);
        if (changed > MAX_CHANGED_LINES) {
            problems.add("the fix changes " + changed + " lines; a kata's fix changes at most " + MAX_CHANGED_LINES);
        }

        double brokenLeast = Double.POSITIVE_INFINITY;
        double solutionMost = 0;
        try (NDManager manager = Engines.newManager()) {
            for (long seed = 1; seed <= SEEDS; seed++) {
                double b = ratio(broken, "the broken source", goldenCase, manager, seed, problems);
                double s = ratio(fixed, "the solution", goldenCase, manager, seed, problems);
                if (b < BROKEN_AT_LEAST) {
                    problems.add(String.format(Locale.ROOT, "seed %d: the broken source is only %.3g tolerances from"
                            + " the reference; it must be at least %.0f", seed, b, BROKEN_AT_LEAST));
                }
                if (s > SOLUTION_AT_MOST) {
                    problems.add(String.format(Locale.ROOT, "seed %d: the solution is %.3g tolerances from the reference;"
                            + " it must be at most %.1f", seed, s, SOLUTION_AT_MOST));
                }
                brokenLeast = Math.min(brokenLeast, b);
                solutionMost = Math.max(solutionMost, s);
                if (Double.isNaN(b) || Double.isNaN(s)) {
                    break; // the golden case cannot run: one problem says why, not one per seed
                }
            }
        }
        return new Report(slug, brokenOutcomes, fixedOutcomes, changed, brokenLeast, solutionMost, List.copyOf(problems));
    }

    /** Checks a catalogue kata as Maven built it: katas/SLUG against solutions/SLUG. */
    public static Report check(Kata kata) {
        return check(kata.slug(), Set.copyOf(kata.triggering()), kata.golden(),
                Side.maven(kata.kataDir()), Side.maven(kata.solutionDir()));
    }

    private static double ratio(Side side, String sideName, String goldenCase, NDManager manager, long seed,
                                List<String> problems) {
        try (URLClassLoader loader = new URLClassLoader(side.classpath().stream().map(Integrity::url)
                .toArray(java.net.URL[]::new), Integrity.class.getClassLoader());
             NDManager scope = manager.newSubManager()) {
            GoldenCase golden = (GoldenCase) Class.forName(goldenCase, true, loader).getDeclaredConstructor().newInstance();
            return golden.compare(scope, seed).worstRatio();
        } catch (ReflectiveOperationException | ClassCastException e) {
            problems.add("golden case " + goldenCase + " cannot be made: " + e);
            return Double.NaN;
        } catch (RuntimeException | LinkageError e) {
            String firstLine = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            problems.add("golden case " + goldenCase + " fails on " + sideName + " at seed " + seed + ": "
                    + e.getClass().getSimpleName() + ": " + firstLine);
            return Double.NaN;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int changedLines(Path before, Path after, List<String> problems) {
        Map<String, Path> beforeFiles = javaFiles(before);
        Map<String, Path> afterFiles = javaFiles(after);
        if (!beforeFiles.keySet().equals(afterFiles.keySet())) {
            problems.add("broken and fixed sources must be the same files: " + beforeFiles.keySet() + " vs "
                    + afterFiles.keySet());
        }
        int changed = 0;
        for (String file : beforeFiles.keySet()) {
            if (afterFiles.containsKey(file)) {
                changed += LineDiff.changed(lines(beforeFiles.get(file)), lines(afterFiles.get(file)));
            }
        }
        return changed;
    }

    private static Map<String, Path> javaFiles(Path root) {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> p.toString().endsWith(".java")).forEach(p -> files.put(root.relativize(p).toString(), p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sources under " + root, e);
        }
        return files;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean ranIn(List<KataTests.Outcome> outcomes, String id) {
        return outcomes.stream().anyMatch(o -> o.id().equals(id));
    }

    private static String describe(KataTests.Outcome outcome) {
        String firstLine = outcome.message().lines().findFirst().orElse("");
        return switch (outcome.status()) {
            case TIMED_OUT -> "a timeout";
            case FAILED_BY_ERROR -> "an exception (" + firstLine + ")";
            case FAILED_BY_ASSERTION -> "an assertion (" + firstLine + ")";
            case SKIPPED -> "being skipped";
            case PASSED -> "passing";
        };
    }

    private static java.net.URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(path + " is not a class path entry", e);
        }
    }
}
