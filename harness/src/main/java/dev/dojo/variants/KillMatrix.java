package dev.dojo.variants;

import ai.djl.ndarray.NDManager;
import dev.dojo.kit.Kit;
import dev.dojo.probes.Probe;
import dev.dojo.probes.ProbeResult;
import dev.dojo.probes.Probes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every probe run on every known-bad variant and on the reference kits. A variant is killed by a
 * probe when the probe fails at any of seeds 1…{@value #VARIANT_SEEDS}; a probe is sound when it
 * holds (or is not applicable) on every reference kit at all of seeds 1…{@value #REFERENCE_SEEDS}.
 * The kill pattern of each variant is the signature a diagnosis matches failures against.
 */
public final class KillMatrix {
    /** Seeds 1…3: a probe that fails at any of them kills the variant. */
    public static final int VARIANT_SEEDS = 3;
    /** Seeds 1…20: a probe must never fail on a reference kit at any of them. */
    public static final int REFERENCE_SEEDS = 20;

    /** One probe on one kit over its seeds. */
    public enum Cell {
        /** The probe failed at one of the seeds. */
        KILLED,
        /** The probe held at every seed. */
        SURVIVED,
        /** The probe does not apply to the kit's configuration. */
        NOT_APPLICABLE;

        /** ✗ killed, ✓ survived, · not applicable. */
        public String mark() {
            return switch (this) {
                case KILLED -> "✗";
                case SURVIVED -> "✓";
                case NOT_APPLICABLE -> "·";
            };
        }
    }

    private final List<Probe> probes;
    private final List<Variant> variants;
    private final List<Kit> references;
    private final Map<Variant, Map<String, ProbeResult>> byVariant;
    private final Map<Kit, Map<String, ProbeResult>> byReference;

    private KillMatrix(List<Probe> probes, List<Variant> variants, List<Kit> references,
                       Map<Variant, Map<String, ProbeResult>> byVariant,
                       Map<Kit, Map<String, ProbeResult>> byReference) {
        this.probes = probes;
        this.variants = variants;
        this.references = references;
        this.byVariant = byVariant;
        this.byReference = byReference;
    }

    /** {@link Probes#all()} on {@link Variants#all()} and {@link Variants#references()}. */
    public static KillMatrix compute(NDManager manager) {
        return compute(Probes.all(), Variants.all(), Variants.references(), manager);
    }

    private static KillMatrix standard;

    /**
     * The matrix of every probe and every variant, computed once per JVM (it holds only copied
     * values, no tensors): the CLI and the tests share it.
     */
    public static synchronized KillMatrix standard() {
        if (standard == null) {
            try (NDManager manager = dev.dojo.engine.Engines.newManager()) {
                standard = compute(manager);
            }
        }
        return standard;
    }

    /**
     * Runs each probe on each variant at seeds 1…{@value #VARIANT_SEEDS} (stopping at the first that
     * fails) and on each reference kit at seeds 1…{@value #REFERENCE_SEEDS}.
     */
    public static KillMatrix compute(List<Probe> probes, List<Variant> variants, List<Kit> references,
                                     NDManager manager) {
        Map<Variant, Map<String, ProbeResult>> byVariant = new LinkedHashMap<>();
        for (Variant variant : variants) {
            byVariant.put(variant, runAll(probes, variant.kit(), VARIANT_SEEDS, manager));
        }
        Map<Kit, Map<String, ProbeResult>> byReference = new LinkedHashMap<>();
        for (Kit reference : references) {
            byReference.put(reference, runAll(probes, reference, REFERENCE_SEEDS, manager));
        }
        return new KillMatrix(List.copyOf(probes), List.copyOf(variants), List.copyOf(references), byVariant,
                byReference);
    }

    private static Map<String, ProbeResult> runAll(List<Probe> probes, Kit kit, int seeds, NDManager manager) {
        Map<String, ProbeResult> results = new LinkedHashMap<>();
        for (Probe probe : probes) {
            results.put(probe.name(), run(probe, kit, seeds, manager));
        }
        return results;
    }

    /** The first failing result, else the last seed's; a probe that does not apply says so at the first seed. */
    private static ProbeResult run(Probe probe, Kit kit, int seeds, NDManager manager) {
        ProbeResult result = null;
        for (long seed = 1; seed <= seeds; seed++) {
            result = probe.run(kit, manager, seed);
            if (result.verdict() != ProbeResult.Verdict.HOLDS) {
                break;
            }
        }
        return result;
    }

    public List<Probe> probes() {
        return probes;
    }

    public List<Variant> variants() {
        return variants;
    }

    public List<Kit> references() {
        return references;
    }

    /** Whether {@code probe} killed {@code variant}, let it survive, or does not apply to it. */
    public Cell cell(Variant variant, String probe) {
        return cellOf(result(variant, probe));
    }

    /** The evidence behind {@link #cell}: the result at the first seed that failed, else at the last seed. */
    public ProbeResult result(Variant variant, String probe) {
        Map<String, ProbeResult> row = byVariant.get(variant);
        if (row == null || !row.containsKey(probe)) {
            throw new IllegalArgumentException("no cell for variant '" + variant.name() + "' and probe '" + probe
                    + "'; probes are " + row.keySet());
        }
        return row.get(probe);
    }

    /** For each variant, in catalogue order, the names of the probes that kill it (empty if it survives all). */
    public Map<Variant, Set<String>> killedBy() {
        Map<Variant, Set<String>> killed = new LinkedHashMap<>();
        for (Variant variant : variants) {
            killed.put(variant, killedBy(variant));
        }
        return Collections.unmodifiableMap(killed);
    }

    /** The names of the probes that kill {@code variant}, in probe order. */
    public Set<String> killedBy(Variant variant) {
        Set<String> names = new LinkedHashSet<>();
        for (Probe probe : probes) {
            if (cell(variant, probe.name()) == Cell.KILLED) {
                names.add(probe.name());
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /** For each probe name, in probe order, the variants it kills. */
    public Map<String, List<Variant>> kills() {
        Map<String, List<Variant>> kills = new LinkedHashMap<>();
        for (Probe probe : probes) {
            List<Variant> killed = new ArrayList<>();
            for (Variant variant : variants) {
                if (cell(variant, probe.name()) == Cell.KILLED) {
                    killed.add(variant);
                }
            }
            kills.put(probe.name(), List.copyOf(killed));
        }
        return Collections.unmodifiableMap(kills);
    }

    /** {@link Cell#SURVIVED} when {@code probe} held on {@code reference} at every seed, else failed or not applicable. */
    public Cell referenceCell(Kit reference, String probe) {
        return cellOf(byReference.get(reference).get(probe));
    }

    /** Every probe result that failed on a reference kit: a probe defect. Empty when the probes are sound. */
    public List<ProbeResult> referenceFailures() {
        List<ProbeResult> failures = new ArrayList<>();
        byReference.values().forEach(row -> row.values().stream().filter(ProbeResult::fails).forEach(failures::add));
        return failures;
    }

    /** The variants no probe kills. */
    public List<Variant> survivors() {
        return variants.stream().filter(v -> killedBy(v).isEmpty()).toList();
    }

    /** The names of the probes that kill no variant. */
    public List<String> idleProbes() {
        return kills().entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    private static Cell cellOf(ProbeResult result) {
        return switch (result.verdict()) {
            case FAILS -> Cell.KILLED;
            case HOLDS -> Cell.SURVIVED;
            case NOT_APPLICABLE -> Cell.NOT_APPLICABLE;
        };
    }

    /** The matrix as text: a row per reference kit and per variant, a numbered column per probe, and a legend. */
    public String render() {
        int nameWidth = "variant".length();
        for (Variant variant : variants) {
            nameWidth = Math.max(nameWidth, variant.name().length());
        }
        for (Kit reference : references) {
            nameWidth = Math.max(nameWidth, reference.name().length());
        }
        String rowFormat = "%-" + nameWidth + "s ";
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Kill matrix: %d probes × %d known-bad variants%n%n", probes.size(),
                variants.size()));
        out.append(String.format(Locale.ROOT, rowFormat, "probe →"));
        for (int i = 1; i <= probes.size(); i++) {
            out.append(String.format(Locale.ROOT, "%3d", i));
        }
        out.append("   killed by\n");
        for (Kit reference : references) {
            out.append(String.format(Locale.ROOT, rowFormat, reference.name()));
            for (Probe probe : probes) {
                out.append("  ").append(referenceCell(reference, probe.name()).mark());
            }
            out.append("   (seeds 1–").append(REFERENCE_SEEDS).append(": must never be killed)\n");
        }
        for (Variant variant : variants) {
            out.append(String.format(Locale.ROOT, rowFormat, variant.name()));
            for (Probe probe : probes) {
                out.append("  ").append(cell(variant, probe.name()).mark());
            }
            out.append(String.format(Locale.ROOT, "   %d%n", killedBy(variant).size()));
        }
        out.append(String.format(Locale.ROOT, rowFormat, "kills"));
        for (List<Variant> killed : kills().values()) {
            out.append(String.format(Locale.ROOT, "%3d", killed.size()));
        }
        out.append("\n\nprobes:\n");
        for (int i = 0; i < probes.size(); i++) {
            Probe probe = probes.get(i);
            out.append(String.format(Locale.ROOT, "%3d  %s: %s%n", i + 1, probe.name(), probe.property()));
        }
        out.append("\n✗ killed: the probe fails at one of seeds 1–").append(VARIANT_SEEDS)
                .append("   ✓ survived: it holds at every seed   · not applicable to the configuration\n");
        out.append("a reference row must show no ✗ over seeds 1–").append(REFERENCE_SEEDS)
                .append("; a ✗ there is a defect in the probe.\n");
        List<Variant> survivors = survivors();
        List<String> idle = idleProbes();
        List<ProbeResult> defects = referenceFailures();
        if (!survivors.isEmpty()) {
            out.append("survive every probe: ")
                    .append(String.join(", ", survivors.stream().map(Variant::name).toList())).append('\n');
        }
        if (!idle.isEmpty()) {
            out.append("kill no variant: ").append(String.join(", ", idle)).append('\n');
        }
        for (ProbeResult defect : defects) {
            out.append("\nfails on a reference kit:\n").append(defect.report().indent(2));
        }
        return out.toString();
    }
}
