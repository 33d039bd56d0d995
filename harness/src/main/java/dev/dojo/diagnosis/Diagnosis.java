package dev.dojo.diagnosis;

import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.ComparisonReport;
import dev.dojo.kit.Kit;
import dev.dojo.probes.Probe;
import dev.dojo.probes.ProbeResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything known about one failure, as one report: the comparison with ground truth (as
 * {@code assert_close} words it), every probe's verdict, the failing probes' evidence, where the
 * model first diverges layer by layer, a heatmap of |Δ|, and, for a coach, the known bugs whose
 * probe signature the verdicts fit.
 *
 * @param golden           the comparison with ground truth, or null for a report of probes alone
 * @param probes           the probes' verdicts, in the order the report lists them
 * @param localization     the layer-by-layer comparison, or null
 * @param attentionWeights attention weights compared with the reference's, drawn as query × key; or null,
 *                         and the heatmap shows {@code golden} instead
 * @param signatures       the known bugs' probe signatures, or null for no suggestions
 */
public record Diagnosis(GoldenComparison golden, List<ProbeResult> probes, Localization localization,
                        GoldenComparison attentionWeights, SignatureTable signatures) {

    /** Suggestions beyond this many families are counted, not listed. */
    static final int MAX_FAMILIES = 5;
    /** Joins the words of a probe name so that wrapping never splits it. */
    private static final char NO_BREAK = '\u00A0';

    public Diagnosis {
        probes = List.copyOf(probes);
    }

    /** A golden comparison and probe verdicts already in hand. */
    public static Diagnosis of(GoldenComparison golden, List<ProbeResult> probes) {
        return new Diagnosis(golden, probes, null, null, null);
    }

    /** Runs every probe on {@code kit} at {@code seed}, each in its own scope; a probe that throws fails. */
    public static Diagnosis collect(GoldenComparison golden, Kit kit, List<Probe> probes, NDManager manager,
                                    long seed) {
        List<ProbeResult> verdicts = new ArrayList<>();
        for (Probe probe : probes) {
            verdicts.add(probe.run(kit, manager, seed));
        }
        return of(golden, verdicts);
    }

    public Diagnosis withLocalization(Localization l) {
        return new Diagnosis(golden, probes, l, attentionWeights, signatures);
    }

    public Diagnosis withAttentionWeights(GoldenComparison weights) {
        return new Diagnosis(golden, probes, localization, weights, signatures);
    }

    public Diagnosis withSignatures(SignatureTable table) {
        return new Diagnosis(golden, probes, localization, attentionWeights, table);
    }

    /** The names of the probes that fail. */
    public Set<String> failing() {
        Set<String> names = new LinkedHashSet<>();
        probes.stream().filter(ProbeResult::fails).forEach(p -> names.add(p.probe()));
        return names;
    }

    /** The names of the probes that hold. */
    public Set<String> passing() {
        Set<String> names = new LinkedHashSet<>();
        probes.stream().filter(ProbeResult::holds).forEach(p -> names.add(p.probe()));
        return names;
    }

    /** How the verdicts fit the signature table; {@link SignatureTable.Kind#NONE} without a table. */
    public SignatureTable.Match match() {
        return signatures == null ? new SignatureTable.Match(SignatureTable.Kind.NONE, List.of())
                : signatures.match(failing(), passing());
    }

    /** As {@link #render(Mode, Style)} in the style the terminal supports. */
    public String render(Mode mode) {
        return render(mode, Style.detect());
    }

    /**
     * The report: the golden comparison's lines (one line when it passes), one line of probe verdicts, the failing probes'
     * property and localized evidence, the layer-by-layer steps, the heatmap, then, in
     * {@link Mode#COACH} only, the bug families the verdicts are consistent with; the seed last.
     */
    public String render(Mode mode, Style style) {
        List<String> lines = new ArrayList<>();
        if (golden != null && golden.comparison().passes()) {
            lines.add(golden.subject() + " agrees with " + golden.reference() + " (tolerance "
                    + golden.comparison().tolerance() + ")");
        } else if (golden != null) {
            lines.add(ComparisonReport.render(golden.comparison(), golden.subject(), golden.reference(), golden.axes(),
                    null));
        }
        if (!probes.isEmpty()) {
            List<String> verdicts = new ArrayList<>();
            for (ProbeResult p : probes) {
                verdicts.add(p.probe() + " " + mark(p, style));
            }
            lines.addAll(Text.wrap("  probes: ", verdicts, "  ", "          "));
        }
        for (ProbeResult p : probes) {
            if (p.fails()) {
                lines.addAll(evidence(p, style));
            }
        }
        if (localization != null) {
            lines.add(localization.render(style));
        }
        String heatmap = "";
        if (attentionWeights != null) {
            heatmap = Heatmap.render(attentionWeights.comparison(), attentionWeights.axes(), style);
        }
        if (heatmap.isEmpty() && golden != null) {
            heatmap = Heatmap.render(golden.comparison(), golden.axes(), style);
        }
        if (!heatmap.isEmpty()) {
            lines.add(heatmap);
        }
        if (mode == Mode.COACH && signatures != null) {
            lines.addAll(suggestions(style));
        }
        if (golden != null && golden.seed() != null) {
            lines.add("  seed: " + golden.seed() + " (reruns this exact case)");
        }
        return String.join("\n", lines);
    }

    private static String mark(ProbeResult p, Style style) {
        return switch (p.verdict()) {
            case HOLDS -> style.holds();
            case FAILS -> style.fails();
            case NOT_APPLICABLE -> style.notApplicable();
        };
    }

    /** The property, then the evidence: what was compared, the worst element and the localized lines. */
    private static List<String> evidence(ProbeResult p, Style style) {
        List<String> lines = new ArrayList<>(Text.words("  " + style.fails() + " " + p.probe() + ": ", p.property(),
                "      "));
        Comparison c = p.evidence();
        if (c == null) {
            if (!p.note().isEmpty()) {
                lines.addAll(Text.words("      ", p.note(), "      "));
            }
            return lines;
        }
        String report = ComparisonReport.render(c, p.subject(), p.demanded(), p.axes(), null);
        for (String line : report.split("\n")) {
            if (!line.startsWith("  mismatched:") && !line.startsWith("  would pass with:")) {
                lines.add((line.startsWith("  ") ? "    " : "      ") + line);
            }
        }
        return lines;
    }

    /**
     * The bug classes the verdicts fit, each led by the properties its signature breaks, so that a
     * coach names what is broken before what might have broken it.
     */
    private List<String> suggestions(Style style) {
        if (failing().isEmpty()) {
            return List.of("  no probe fails" + (style == Style.ASCII ? " -> " : " → ") + "consistent with: a bug that"
                    + " breaks no property every correct part has (a scale, a constant, a weight), which only the"
                    + " comparison with ground truth can see").stream()
                    .flatMap(line -> Text.words("", line, "      ").stream()).toList();
        }
        SignatureTable.Match match = match();
        if (match.kind() == SignatureTable.Kind.NONE) {
            return List.of("  consistent with: none of the " + signatures.signatures().size()
                    + " known bugs' probe signatures");
        }
        Map<String, List<SignatureTable.Candidate>> byFamily = new LinkedHashMap<>();
        for (SignatureTable.Candidate c : match.candidates()) {
            byFamily.computeIfAbsent(c.signature().family(), f -> new ArrayList<>()).add(c);
        }
        List<String> lines = new ArrayList<>();
        int listed = 0;
        for (Map.Entry<String, List<SignatureTable.Candidate>> family : byFamily.entrySet()) {
            if (listed++ == MAX_FAMILIES) {
                lines.add("  " + style.ellipsis() + " and " + (byFamily.size() - MAX_FAMILIES) + " more families");
                break;
            }
            List<String> bugs = new ArrayList<>();
            Set<String> differing = new LinkedHashSet<>();
            Set<String> broken = new LinkedHashSet<>();
            for (SignatureTable.Candidate c : family.getValue()) {
                if (!bugs.contains(c.signature().bug())) {
                    bugs.add(c.signature().bug());
                }
                differing.addAll(c.differing());
                probes.stream().map(ProbeResult::probe)
                        .filter(p -> failing().contains(p) && c.signature().failing().contains(p)).forEach(broken::add);
            }
            List<String> properties = new ArrayList<>();
            for (String probe : broken) {
                properties.add(probe.replace(' ', NO_BREAK) + NO_BREAK + style.fails());
            }
            String head = "  " + (properties.isEmpty() ? "no broken property" : String.join(", ", properties))
                    + (style == Style.ASCII ? " -> " : " → ") + "consistent with";
            if (match.kind() == SignatureTable.Kind.NEAREST) {
                int distance = family.getValue().get(0).distance();
                head += " (nearest, " + distance + " probe" + (distance == 1 ? "" : "s") + " apart)";
            }
            String text = family.getKey() + " (" + String.join("; ", bugs) + ")";
            if (match.kind() == SignatureTable.Kind.NEAREST) {
                List<String> differs = new ArrayList<>();
                for (String probe : differing) {
                    differs.add(probe.replace(' ', NO_BREAK) + NO_BREAK
                            + (failing().contains(probe) ? "(fails" : "(holds") + NO_BREAK + "here)");
                }
                text += "; differs on " + String.join(", ", differs);
            }
            for (String line : Text.words(head + ": ", text, "      ")) {
                lines.add(line.replace(NO_BREAK, ' '));
            }
        }
        return lines;
    }
}
