package dev.dojo.kata;

import ai.djl.ndarray.NDManager;
import dev.dojo.engine.Engines;
import dev.dojo.kit.Kit;
import dev.dojo.probes.Probe;
import dev.dojo.probes.ProbeResult;
import dev.dojo.probes.Probes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The second half of a kata's verdict: a component is solved only when its tests pass and every
 * probe that applies to its kit holds. Tests cover what their authors thought of; the probes check
 * properties every correct implementation has, so a fix that only satisfies the tests' layout
 * (right padding only, no mask, the golden's shapes) still does not go green.
 */
public final class ProbeGate {
    /** How many seeds the CLI's verdict runs each probe at, from the kata's own seed on. */
    public static final int SEEDS = 3;

    private ProbeGate() {}

    /**
     * Every probe on {@code kit} at {@code seeds} seeds from {@code firstSeed}: for each probe that
     * applies, its first failing verdict, else its last holding one. Not-applicable probes are left out.
     */
    public static List<ProbeResult> check(Kit kit, long firstSeed, int seeds) {
        return check(kit, firstSeed, seeds, result -> {});
    }

    /** As {@link #check(Kit, long, int)}; {@code each} hears every applicable probe's verdict as soon as it is known. */
    public static List<ProbeResult> check(Kit kit, long firstSeed, int seeds, Consumer<ProbeResult> each) {
        if (kit == null) {
            return List.of();
        }
        List<ProbeResult> results = new ArrayList<>();
        try (NDManager manager = Engines.newManager()) {
            for (Probe probe : Probes.all()) {
                ProbeResult last = null;
                for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
                    last = probe.run(kit, manager, seed);
                    if (!last.holds()) {
                        break;
                    }
                }
                if (last != null && last.verdict() != ProbeResult.Verdict.NOT_APPLICABLE) {
                    results.add(last);
                    each.accept(last);
                }
            }
        }
        return List.copyOf(results);
    }

    /**
     * As {@link #check(Kit, long, int)} on the kit of the golden case {@code goldenCase}, loaded from
     * {@code classpath} in a class loader of its own, at its {@link GoldenCase#seed()} and after.
     */
    public static List<ProbeResult> check(List<Path> classpath, String goldenCase, int seeds) {
        return check(classpath, goldenCase, seeds, result -> {});
    }

    /** As {@link #check(List, String, int)}; {@code each} hears every applicable probe's verdict as soon as it is known. */
    public static List<ProbeResult> check(List<Path> classpath, String goldenCase, int seeds, Consumer<ProbeResult> each) {
        try (URLClassLoader loader = new URLClassLoader(urls(classpath), ProbeGate.class.getClassLoader())) {
            GoldenCase golden = load(loader, goldenCase);
            return check(golden.kit(), golden.seed(), seeds, each);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The results among {@code results} that fail. */
    public static List<ProbeResult> failing(List<ProbeResult> results) {
        return results.stream().filter(ProbeResult::fails).toList();
    }

    /** One line naming the failing probes: "causality ✗  padding independence ✗". */
    public static String summary(List<ProbeResult> failing) {
        List<String> names = new ArrayList<>();
        for (ProbeResult r : failing) {
            names.add(r.probe() + " ✗");
        }
        return String.join("  ", names);
    }

    /** The golden case {@code goldenCase}, made from {@code loader}; an IllegalStateException saying why it cannot be. */
    public static GoldenCase load(ClassLoader loader, String goldenCase) {
        try {
            return (GoldenCase) Class.forName(goldenCase, true, loader).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            throw new IllegalStateException("golden case " + goldenCase + " cannot be made: " + e, e);
        }
    }

    /** {@code classpath} as a class loader's URLs. */
    public static URL[] urls(List<Path> classpath) {
        return KataTests.urls(classpath);
    }
}
