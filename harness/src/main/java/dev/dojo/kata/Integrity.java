package dev.dojo.kata;

import ai.djl.ndarray.NDManager;
import dev.dojo.engine.Engines;
import dev.dojo.kit.Kit;
import dev.dojo.probes.ProbeResult;

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
    /** A catalogue kata keeps at least this many wrong fixes, each of which must fail it. */
    public static final int MIN_WRONG_FIXES = 4;
    /** The first line of a wrong fix's source: this prefix, then the one-line note. */
    public static final String WRONG_FIX_NOTE = "// wrong fix: ";

    private Integrity() {}

    /** One side of a kata, compiled: its main sources, its class path (classes and test classes) and its test classes. */
    public record Side(Path sources, List<Path> classpath, Path testClasses) {
        /** The side as Maven builds it in {@code module}: src/main/java, target/classes, target/test-classes. */
        public static Side maven(Path module) {
            Path tests = module.resolve("target/test-classes");
            return new Side(module.resolve("src/main/java"), List.of(module.resolve("target/classes"), tests), tests);
        }
    }

    /**
     * A plausible fix that is wrong, kept so that the kata is proven to reject it.
     *
     * @param name the folder's name under solutions/SLUG/wrong-fixes
     * @param note what it does and why it is wrong, from its first line
     * @param side the kata's tests over the wrong fix, compiled
     */
    public record WrongFix(String name, String note, Side side) {}

    /** How the kata answered a wrong fix: the tests that failed and the probes that broke; rejected when either is not empty. */
    public record WrongFixVerdict(String name, String note, List<String> failedTests, List<String> failedProbes) {
        public boolean rejected() {
            return !failedTests.isEmpty() || !failedProbes.isEmpty();
        }

        /** "wrong fix NAME: rejected by A, B and 3 more tests" (or the probes, when no test caught it). */
        public String line() {
            if (!rejected()) {
                return "wrong fix " + name + ": NOT rejected: " + note;
            }
            List<String> by = failedTests.isEmpty() ? failedProbes : failedTests;
            String what = failedTests.isEmpty() ? "probe" : "test";
            String shown = String.join(", ", by.subList(0, Math.min(2, by.size())));
            return "wrong fix " + name + ": rejected by " + (by.size() > 2 ? shown + " and " + (by.size() - 2)
                    + " more " + what + "s" : shown);
        }
    }

    /** What the check found for one kata; valid when {@code problems} is empty. */
    public record Report(String slug, List<KataTests.Outcome> broken, List<KataTests.Outcome> solution,
                         int changedLines, double brokenLeast, double solutionMost, List<WrongFixVerdict> wrongFixes,
                         List<String> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }

        /** The wrong fixes the kata rejects. */
        public long rejected() {
            return wrongFixes.stream().filter(WrongFixVerdict::rejected).count();
        }

        /** The report as one row of a table: kata, broken fails, solution passes, diff lines, separation. */
        public String row() {
            long failing = broken.stream().filter(o -> !o.passed()).count();
            long passing = solution.stream().filter(KataTests.Outcome::passed).count();
            return String.format(Locale.ROOT, "%-22s %s broken fails %d/%d   %s solution passes %d/%d   %s wrong fixes"
                            + " rejected %d/%d   diff %d lines   separation ≥%.3gx / ≤%.2gx tolerance",
                    slug, mark(failing > 0), failing, broken.size(), mark(passing == solution.size() && passing > 0),
                    passing, solution.size(), mark(rejected() == wrongFixes.size()), rejected(), wrongFixes.size(),
                    changedLines, brokenLeast, solutionMost);
        }

        private static String mark(boolean ok) {
            return ok ? "✓" : "✗";
        }
    }

    /** Checks the kata with its triggering tests and golden case, broken and fixed sides as given, and no wrong fixes. */
    public static Report check(String slug, Set<String> triggering, String goldenCase, Side broken, Side fixed) {
        return check(slug, triggering, goldenCase, broken, fixed, List.of(), 0, List.of());
    }

    /**
     * Checks the kata both ways, then its wrong fixes: each must fail a test or break a probe that
     * applies to the kata's kit. The solution, and the reference parts in the kit's model, must hold
     * every applicable probe over {@link #SEEDS} seeds. {@code earlier} are problems found before the
     * check could start (a solution or wrong fix that does not compile).
     */
    public static Report check(String slug, Set<String> triggering, String goldenCase, Side broken, Side fixed,
                               List<WrongFix> wrongFixes, int minWrongFixes, List<String> earlier) {
        List<String> problems = new ArrayList<>(earlier);
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
        if (!fixedOutcomes.isEmpty()) {
            probesHold(fixed, goldenCase, problems);
        }

        List<WrongFixVerdict> verdicts = new ArrayList<>();
        if (wrongFixes.size() < minWrongFixes) {
            problems.add("the kata keeps " + wrongFixes.size() + " wrong fixes; it needs at least " + minWrongFixes
                    + " (solutions/" + slug + "/wrong-fixes/<name>/, each starting '" + WRONG_FIX_NOTE.strip() + " …')");
        }
        for (WrongFix fix : wrongFixes) {
            WrongFixVerdict verdict = judge(fix, goldenCase);
            verdicts.add(verdict);
            if (!verdict.rejected()) {
                problems.add("wrong fix " + fix.name() + " passes every test and probe: " + fix.note());
            }
        }
        return new Report(slug, brokenOutcomes, fixedOutcomes, changed, brokenLeast, solutionMost, List.copyOf(verdicts),
                List.copyOf(problems));
    }

    /**
     * Checks a catalogue kata: katas/SLUG as Maven built it, against solutions/SLUG and each of its
     * wrong fixes, compiled here with the kata's tests into katas/SLUG/target/integrity.
     */
    public static Report check(Kata kata) {
        Side broken = Side.maven(kata.kataDir());
        Path work = kata.kataDir().resolve("target/integrity");
        List<String> problems = new ArrayList<>();
        Path brokenSources = kata.kataDir().resolve("src/main/java");
        Side fixed = compiled(kata.solutionDir().resolve("src/main/java"), brokenSources, work.resolve("solution"),
                broken.testClasses(), "the solution", problems);
        List<WrongFix> wrongFixes = new ArrayList<>();
        for (Path folder : folders(kata.wrongFixesDir())) {
            String name = folder.getFileName().toString();
            String note = note(folder, name, brokenSources, problems);
            Side side = compiled(folder, brokenSources, work.resolve("wrong-fixes").resolve(name), broken.testClasses(),
                    "wrong fix " + name, problems);
            if (side != null && note != null) {
                wrongFixes.add(new WrongFix(name, note, side));
            }
        }
        if (fixed == null) {
            return new Report(kata.slug(), List.of(), List.of(), 0, Double.NaN, Double.NaN, List.of(),
                    List.copyOf(problems));
        }
        return check(kata.slug(), Set.copyOf(kata.triggering()), kata.golden(), broken, fixed, wrongFixes,
                MIN_WRONG_FIXES, problems);
    }

    /** The solution and the reference parts in the same model hold every probe that applies, at every seed. */
    private static void probesHold(Side fixed, String goldenCase, List<String> problems) {
        try (URLClassLoader loader = new URLClassLoader(ProbeGate.urls(fixed.classpath()),
                Integrity.class.getClassLoader())) {
            GoldenCase golden = ProbeGate.load(loader, goldenCase);
            Kit kit = golden.kit();
            if (kit == null) {
                return;
            }
            for (ProbeResult r : ProbeGate.failing(ProbeGate.check(kit, 1, SEEDS))) {
                problems.add("the solution breaks probe " + r.probe() + " (seed " + r.seed() + "): " + r.property());
            }
            for (ProbeResult r : ProbeGate.failing(ProbeGate.check(golden.referenceKit(), 1, SEEDS))) {
                problems.add("the reference parts in the kata's model break probe " + r.probe() + " (seed " + r.seed()
                        + "): the probe or the model is wrong");
            }
        } catch (IllegalStateException e) {
            if (!problems.contains(e.getMessage())) {     // the separation check may have said so already
                problems.add(e.getMessage());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the kata's tests and its probe gate on a wrong fix, as {@code ./kata test} would. */
    private static WrongFixVerdict judge(WrongFix fix, String goldenCase) {
        List<KataTests.Outcome> outcomes = KataTests.run(fix.side().classpath(), fix.side().testClasses(),
                TEST_TIMEOUT, o -> {});
        List<String> failedTests = outcomes.stream().filter(o -> !o.passed()).map(KataTests.Outcome::id).distinct().sorted().toList();
        List<String> failedProbes = List.of();
        if (failedTests.isEmpty()) {
            try {
                failedProbes = ProbeGate.failing(ProbeGate.check(fix.side().classpath(), goldenCase, ProbeGate.SEEDS))
                        .stream().map(ProbeResult::probe).toList();
            } catch (RuntimeException e) {
                failedProbes = List.of("(the golden case threw: " + e.getMessage() + ")");
            }
        }
        return new WrongFixVerdict(fix.name(), fix.note(), failedTests, failedProbes);
    }

    /**
     * The kata's tests over {@code sources}, compiled into {@code output}: the source files in
     * {@code sources} replace the broken ones of the same name, the others come from {@code brokenSources}.
     * Null, with a problem, when they do not compile.
     */
    private static Side compiled(Path sources, Path brokenSources, Path output, Path testClasses, String what,
                                 List<String> problems) {
        Map<String, Path> files = javaFiles(brokenSources);
        Map<String, Path> replacing = new TreeMap<>();
        for (Path file : Javac.sources(sources)) {
            replacing.put(file.getFileName().toString(), file);
        }
        if (replacing.isEmpty()) {
            problems.add(what + " has no sources in " + sources);
            return null;
        }
        List<Path> all = new ArrayList<>();
        for (Map.Entry<String, Path> broken : files.entrySet()) {
            String name = broken.getValue().getFileName().toString();
            all.add(replacing.getOrDefault(name, broken.getValue()));
        }
        for (String name : replacing.keySet()) {
            if (files.values().stream().noneMatch(p -> p.getFileName().toString().equals(name))) {
                problems.add(what + " has " + name + ", which is not a source of the kata");
                return null;
            }
        }
        try {
            Javac.clear(output);
            Javac.compile(all, output, System.getProperty("java.class.path"));
        } catch (Javac.CompileError e) {
            problems.add(what + " does not compile: " + e.getMessage().lines().findFirst().orElse(""));
            return null;
        }
        return new Side(sources, List.of(output, testClasses), testClasses);
    }

    /** The note on a wrong fix's first line; null, with a problem, when a source lacks it. */
    private static String note(Path folder, String name, Path brokenSources, List<String> problems) {
        String note = null;
        for (Path file : Javac.sources(folder)) {
            String first = lines(file).stream().findFirst().orElse("");
            if (!first.startsWith(WRONG_FIX_NOTE) || first.length() == WRONG_FIX_NOTE.length()) {
                problems.add("wrong fix " + name + ": " + file.getFileName() + " must start with '" + WRONG_FIX_NOTE
                        + "<what it does and why it is wrong>'");
                return null;
            }
            note = first.substring(WRONG_FIX_NOTE.length()).strip();
        }
        return note;
    }

    private static List<Path> folders(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(root)) {
            return list.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
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
