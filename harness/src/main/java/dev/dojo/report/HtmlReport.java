package dev.dojo.report;

import dev.dojo.compare.Comparison;
import dev.dojo.compare.ComparisonReport;
import dev.dojo.compare.Tolerance;
import dev.dojo.diagnosis.LayerTrace;
import dev.dojo.diagnosis.Localization;
import dev.dojo.diagnosis.SignatureTable;
import dev.dojo.diagnosis.Style;
import dev.dojo.kata.GoldenCase;
import dev.dojo.probes.ProbeResult;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A kata run as one self-contained HTML page: the comparison with ground truth, the layer-by-layer
 * trace, the error by position, heatmaps (attention maps for an attention, else position × channel
 * values), the probe table, and, for a coach only, the known bugs the probe verdicts are
 * consistent with. A map of differences leaves each cell within tolerance blank. Every picture is
 * an embedded PNG and the CSS is inline, so the file can be mailed or opened offline; the page has
 * no script. Immutable: each {@code with…} returns a new report.
 */
public final class HtmlReport {
    private static final List<String> POSITION_AXES = List.of("pos", "position", "token", "query");

    private final String title;
    private final Comparison comparison;
    private final String subject;
    private final String reference;
    private final List<String> axes;
    private final Long seed;
    private final AttentionView attention;
    private final List<ProbeResult> probes;
    private final Localization localization;
    private final SignatureTable signatures;
    private final Timeline timeline;

    private HtmlReport(String title, Comparison comparison, String subject, String reference, List<String> axes,
                       Long seed, AttentionView attention, List<ProbeResult> probes, Localization localization,
                       SignatureTable signatures, Timeline timeline) {
        this.title = title;
        this.comparison = comparison;
        this.subject = subject;
        this.reference = reference;
        this.axes = List.copyOf(axes);
        this.seed = seed;
        this.attention = attention;
        this.probes = List.copyOf(probes);
        this.localization = localization;
        this.signatures = signatures;
        this.timeline = timeline;
    }

    /**
     * A report of {@code comparison}: {@code subject} names the actual tensor ("Attention output"),
     * {@code reference} the expected one, {@code axes} the axes ("batch", "pos", "dim").
     */
    public static HtmlReport of(String title, Comparison comparison, String subject, String reference,
                                List<String> axes) {
        return new HtmlReport(title, comparison, subject, reference, axes, null, null, List.of(), null, null, null);
    }

    /** A report of a kata's golden outputs, compared under {@code tolerance}. */
    public static HtmlReport of(String title, GoldenCase.Outputs outputs, Tolerance tolerance) {
        return of(title, Comparison.of(outputs.actual(), outputs.expected(), tolerance), outputs.subject(),
                outputs.reference(), outputs.axes());
    }

    /** The seed that reproduces the comparison, shown with it. */
    public HtmlReport withSeed(long newSeed) {
        return new HtmlReport(title, comparison, subject, reference, axes, newSeed, attention, probes, localization,
                signatures, timeline);
    }

    /** Shows attention maps instead of position × channel values. */
    public HtmlReport withAttention(AttentionView view) {
        return new HtmlReport(title, comparison, subject, reference, axes, seed, view, probes, localization,
                signatures, timeline);
    }

    /** The probe verdicts, in the order given. */
    public HtmlReport withProbes(List<ProbeResult> results) {
        return new HtmlReport(title, comparison, subject, reference, axes, seed, attention, results, localization,
                signatures, timeline);
    }

    /** The layer-by-layer trace the failing test prints: where a tiny model with the component first diverges. */
    public HtmlReport withLocalization(Localization trace) {
        return new HtmlReport(title, comparison, subject, reference, axes, seed, attention, probes, trace, signatures,
                timeline);
    }

    /**
     * The known bugs' probe signatures: the page then lists, as "consistent with", those the probe
     * verdicts fit. For a coach only; without it the page shows evidence and never names a bug.
     */
    public HtmlReport withSuggestions(SignatureTable table) {
        return new HtmlReport(title, comparison, subject, reference, axes, seed, attention, probes, localization,
                table, timeline);
    }

    /** A pair's session on this kata or drill, as a timeline after the evidence: what was tried, and when. */
    public HtmlReport withTimeline(Timeline session) {
        return new HtmlReport(title, comparison, subject, reference, axes, seed, attention, probes, localization,
                signatures, session);
    }

    /** Writes {@link #html()} to {@code file} atomically: readers see the old file or the whole new one. */
    public Path write(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            Files.writeString(temporary, html(), StandardCharsets.UTF_8);
            readableByAll(temporary);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        return target;
    }

    /** A temporary file is private (rw-------); a report is a document like any other (rw-r--r--). */
    private static void readableByAll(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** The whole page. */
    public String html() {
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        page.append("<h1>").append(escape(title)).append("</h1>\n");
        summary(page);
        if (localization != null) {
            layerTrace(page);
        }
        if (comparison.sameShape() && comparison.sameType() && comparison.size() > 0) {
            errorByAxis(page);
            if (attention != null) {
                attentionMaps(page);
            } else {
                valueMaps(page);
            }
        } else if (attention != null) {
            attentionMaps(page);
        }
        probeTable(page);
        if (signatures != null) {
            suggestions(page);
        }
        if (timeline != null) {
            timeline(page);
        }
        page.append("<footer>Divergence Dojo</footer>\n</body>\n</html>\n");
        return page.toString();
    }

    private void summary(StringBuilder page) {
        List<String> names = names();
        boolean passes = comparison.passes();
        page.append("<section id=\"golden\">\n<h2>Against ground truth</h2>\n");
        page.append("<p class=\"verdict ").append(passes ? "pass\">✓ " : "fail\">✗ ").append(escape(subject))
                .append(passes ? " agrees with " : " diverges from ").append(escape(reference)).append("</p>\n");
        page.append("<table class=\"facts\">\n");
        if (!comparison.sameShape()) {
            fact(page, "shape", comparison.actualShape() + " but expected " + comparison.expectedShape());
        } else if (!comparison.sameType()) {
            fact(page, "dtype", comparison.actualType() + " but expected " + comparison.expectedType());
        } else {
            fact(page, "shape", comparison.actualShape() + " " + names);
            fact(page, "mismatched", String.format(Locale.ROOT, "%d / %d (%.1f%%)", comparison.mismatched(),
                    comparison.size(), comparison.size() == 0 ? 0.0 : 100.0 * comparison.mismatched() / comparison.size()));
            fact(page, "tolerance", comparison.tolerance().toString());
            int worst = (comparison.size() == 0 ? -1 : comparison.neediest());
            if (worst >= 0) {
                double a = comparison.actual()[worst];
                double e = comparison.expected()[worst];
                fact(page, "worst |Δ|", Images.number(Math.abs(a - e)) + " at " + at(comparison.index(worst), names)
                        + " (actual " + Images.number(a) + ", expected " + Images.number(e) + ")");
                fact(page, "would pass with", "abs " + Images.number(comparison.passingAbsolute()));
            }
            if (comparison.actualNonFinite().any()) {
                Comparison.NonFinite n = comparison.actualNonFinite();
                fact(page, "not finite", n.nans() + " NaN and " + n.infinities() + " Inf, the first at "
                        + at(comparison.index(n.first()), names));
            }
        }
        if (seed != null) {
            fact(page, "seed", seed + " (reruns this exact case)");
        }
        page.append("</table>\n");
        if (!passes) {
            page.append("<details><summary>as the test reports it</summary><pre>")
                    .append(escape(ComparisonReport.render(comparison, subject, reference, axes, seed)))
                    .append("</pre></details>\n");
        }
        page.append("</section>\n");
    }

    private void errorByAxis(StringBuilder page) {
        List<String> names = names();
        int position = positionAxis(names);
        page.append("<section id=\"by-position\">\n<h2>Error by ").append(escape(names.get(position))).append("</h2>\n");
        image(page, ErrorChart.draw(comparison.profile(position), names.get(position), comparison.tolerance(), 720, 260),
                "largest |Δ| at each " + names.get(position));
        List<BufferedImage> others = new ArrayList<>();
        List<String> otherNames = new ArrayList<>();
        for (int axis = 0; axis < names.size(); axis++) {
            if (axis != position && comparison.actualShape().get(axis) > 1) {
                others.add(ErrorChart.draw(comparison.profile(axis), names.get(axis), comparison.tolerance(), 400, 200));
                otherNames.add(names.get(axis));
            }
        }
        if (!others.isEmpty()) {
            page.append("<div class=\"row\">\n");
            for (int i = 0; i < others.size(); i++) {
                image(page, others.get(i), "largest |Δ| at each " + otherNames.get(i));
            }
            page.append("</div>\n");
        }
        page.append("</section>\n");
    }

    private void valueMaps(StringBuilder page) {
        List<String> names = names();
        int rank = names.size();
        int rowAxis = rank == 1 ? -1 : positionAxis(names);
        int columnAxis = rank - 1;
        if (rowAxis == columnAxis) {
            rowAxis = rank - 2;
        }
        int worst = (comparison.size() == 0 ? -1 : comparison.neediest());
        long[] at = comparison.index(Math.max(0, worst));
        int rows = rowAxis < 0 ? 1 : Math.toIntExact(comparison.actualShape().get(rowAxis));
        int columns = Math.toIntExact(comparison.actualShape().get(columnAxis));
        float[][] expected = new float[rows][columns];
        float[][] actual = new float[rows][columns];
        float[][] difference = new float[rows][columns];                  // 0 where within tolerance: blank
        double largestValue = 0;
        double largestDifference = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                long[] index = at.clone();
                if (rowAxis >= 0) {
                    index[rowAxis] = r;
                }
                index[columnAxis] = c;
                int flat = flat(index);
                expected[r][c] = comparison.expected()[flat];
                actual[r][c] = comparison.actual()[flat];
                difference[r][c] = beyondTolerance(actual[r][c], expected[r][c])
                        ? Math.abs(actual[r][c] - expected[r][c]) : 0f;
                largestValue = finiteMax(largestValue, Math.abs(expected[r][c]), Math.abs(actual[r][c]));
                largestDifference = finiteMax(largestDifference, difference[r][c], 0);
            }
        }
        String rowName = rowAxis < 0 ? "" : names.get(rowAxis);
        String columnName = names.get(columnAxis);
        ColourScale values = ColourScale.signed(largestValue);
        page.append("<section id=\"values\">\n<h2>Values, ").append(escape(rowName.isEmpty() ? columnName
                : rowName + " × " + columnName)).append("</h2>\n");
        List<String> fixed = new ArrayList<>();
        for (int axis = 0; axis < rank; axis++) {
            if (axis != rowAxis && axis != columnAxis) {
                fixed.add(names.get(axis) + " " + at[axis]);
            }
        }
        page.append("<p>").append(fixed.isEmpty() ? "" : "The slice at " + escape(String.join(", ", fixed))
                        + ", through the largest |Δ|. ")
                .append("Expected is ").append(escape(reference)).append("; actual is ").append(escape(subject))
                .append(". Both share one colour scale. ").append(blankNote("|Δ|")).append("</p>\n<div class=\"row\">\n");
        image(page, new Heatmap("expected", expected, rowName, columnName, values).draw(), "expected values");
        image(page, new Heatmap("actual", actual, rowName, columnName, values).draw(), "actual values");
        image(page, new Heatmap("|Δ| = |actual − expected|", difference, rowName, columnName,
                ColourScale.magnitude(comparison.tolerance().absolute(), largestDifference)).draw(),
                "absolute difference");
        page.append("</div>\n</section>\n");
    }

    private void attentionMaps(StringBuilder page) {
        AttentionView v = attention;
        int item = v.item();
        double largestWeight = 0;
        double largestDifference = 0;
        for (int h : v.heads()) {
            for (int t = 0; t < v.reference().tokens(); t++) {
                for (int s = 0; s < v.reference().tokens(); s++) {
                    float r = v.reference().get(item, h, t, s);
                    float u = v.underTest().get(item, h, t, s);
                    largestWeight = finiteMax(largestWeight, r, u);
                    largestDifference = finiteMax(largestDifference, beyondTolerance(u, r) ? Math.abs(u - r) : 0, 0);
                }
            }
        }
        boolean[] pads = null;
        if (v.padKeys() != null) {
            pads = new boolean[v.reference().tokens()];
            for (int s = 0; s < pads.length; s++) {
                pads[s] = v.isPad(s);
            }
        }
        ColourScale weights = ColourScale.weights(largestWeight);
        ColourScale difference = ColourScale.signedDifference(comparison.tolerance().absolute(), largestDifference);
        page.append("<section id=\"attention\">\n<h2>Attention maps, query × key</h2>\n<p>Batch item ").append(item)
                .append(v.reference().batch() > 1 ? " (where the maps differ most)" : "")
                .append(". Row t is query t's weights over the keys; each row of a correct map sums to 1.")
                .append(pads != null ? " Orange marks pad keys." : "").append(' ')
                .append(blankNote("the difference maps"))
                .append(" Largest |Δ| by head: ");
        for (int i = 0; i < v.heads().size(); i++) {
            int h = v.heads().get(i);
            page.append(i == 0 ? "" : ", ").append("head ").append(h).append(' ')
                    .append(Images.number(v.reference().largestDifference(v.underTest(), item, h)));
        }
        page.append(".</p>\n");
        for (int h : v.heads()) {
            page.append("<div class=\"row\">\n");
            float[][] r = v.reference().map(item, h);
            float[][] u = v.underTest().map(item, h);
            float[][] d = new float[r.length][r.length];
            for (int t = 0; t < r.length; t++) {
                for (int s = 0; s < r.length; s++) {
                    d[t][s] = beyondTolerance(u[t][s], r[t][s]) ? u[t][s] - r[t][s] : 0f;   // 0: blank
                }
            }
            image(page, new Heatmap("reference · head " + h, r, "query", "key", weights, pads, "pad key").draw(),
                    "reference attention, head " + h);
            image(page, new Heatmap("under test · head " + h, u, "query", "key", weights, pads, "pad key").draw(),
                    "attention under test, head " + h);
            image(page, new Heatmap("under test − reference · head " + h, d, "query", "key", difference, pads,
                    "pad key").draw(), "difference, head " + h);
            page.append("</div>\n");
        }
        page.append("</section>\n");
    }

    /** Whether {@code actual} is beyond the comparison's tolerance of {@code expected}, as the comparison counts it. */
    private boolean beyondTolerance(float actual, float expected) {
        return comparison.tolerance().ratio(actual, expected) > 1;
    }

    private String blankNote(String maps) {
        return "In " + escape(maps) + ", a cell within tolerance (" + escape(comparison.tolerance().toString())
                + ") is blank, and the colour starts at the tolerance.";
    }

    private void layerTrace(StringBuilder page) {
        Localization l = localization;
        page.append("<section id=\"layers\">\n<h2>Layer by layer</h2>\n<p>")
                .append(escape(l.subject())).append(" and ").append(escape(l.reference()))
                .append(" run as a tiny model on the same parameters and input")
                .append(seed != null ? " (seed " + seed + ")" : "")
                .append(". Each step shows its largest |Δ| over real tokens, against tolerance ")
                .append(escape(l.tolerance().toString())).append('.');
        l.firstDivergence().ifPresentOrElse(
                d -> page.append(" The first divergence is <strong>").append(escape(d.where()))
                        .append("</strong>: the step beyond tolerance where |Δ| jumps most from the step before."),
                () -> page.append(" No step is beyond tolerance."));
        page.append("</p>\n<table class=\"layers\">\n<tr><th>where</th><th>step</th><th></th><th>largest |Δ|</th>"
                + "<th></th></tr>\n");
        for (int i = 0; i < l.steps().size(); i++) {
            Localization.StepDivergence d = l.steps().get(i);
            boolean first = i == l.first();
            page.append("<tr class=\"").append(d.beyond() ? "fails" : "holds").append(first ? " first" : "")
                    .append("\"><td>").append(d.block() == LayerTrace.MODEL ? "model" : "block " + d.block())
                    .append("</td><td>").append(escape(d.label())).append("</td><td class=\"mark\">")
                    .append(d.beyond() ? "✗" : "✓").append("</td><td>")
                    .append(escape(d.note().isEmpty() ? Images.number(d.difference()) : d.note()))
                    .append("</td><td>");
            if (first) {
                page.append("◀ first divergence");
                if (Double.isFinite(d.jump())) {
                    page.append(" (jump ×").append(Images.number(d.jump())).append(')');
                }
            }
            page.append("</td></tr>\n");
        }
        page.append("</table>\n");
        if (l.notReached() > 0) {
            page.append("<p>").append(l.notReached()).append(" later step").append(l.notReached() == 1 ? "" : "s")
                    .append(" not reached.</p>\n");
        }
        if (!l.extra().isEmpty()) {
            page.append("<p>Also called by ").append(escape(l.subject())).append(", not by ")
                    .append(escape(l.reference())).append(": ").append(escape(String.join(", ", l.extra())))
                    .append(".</p>\n");
        }
        StringBuilder printed = new StringBuilder();
        for (String line : l.render(Style.UNICODE).split("\n")) {
            printed.append(line.startsWith("  ") ? line.substring(2) : line).append('\n');
        }
        page.append("<details><summary>as the test prints it</summary><pre>").append(escape(printed.toString()))
                .append("</pre></details>\n</section>\n");
    }

    private void suggestions(StringBuilder page) {
        Set<String> failing = new LinkedHashSet<>();
        Set<String> passing = new LinkedHashSet<>();
        for (ProbeResult p : probes) {
            if (p.fails()) {
                failing.add(p.probe());
            } else if (p.holds()) {
                passing.add(p.probe());
            }
        }
        SignatureTable.Match match = signatures.match(failing, passing);
        page.append("<section id=\"consistent-with\">\n<h2>Consistent with</h2>\n<p>");
        switch (match.kind()) {
            case NONE -> page.append("Consistent with none of the ").append(signatures.signatures().size())
                    .append(" known bugs' probe signatures.</p>\n</section>\n");
            case EXACT -> page.append("The probe verdicts are consistent with these known bugs: each fails exactly"
                    + " the probes that fail here.</p>\n");
            case NEAREST -> page.append("No known bug's signature fits exactly; the nearest, ")
                    .append(match.candidates().get(0).distance()).append(" probe")
                    .append(match.candidates().get(0).distance() == 1 ? "" : "s").append(" apart.</p>\n");
        }
        if (match.kind() == SignatureTable.Kind.NONE) {
            return;
        }
        Map<String, List<SignatureTable.Candidate>> byFamily = new LinkedHashMap<>();
        for (SignatureTable.Candidate c : match.candidates()) {
            byFamily.computeIfAbsent(c.signature().family(), f -> new ArrayList<>()).add(c);
        }
        page.append("<ul class=\"suggestions\">\n");
        for (Map.Entry<String, List<SignatureTable.Candidate>> family : byFamily.entrySet()) {
            List<String> bugs = new ArrayList<>();
            Set<String> differing = new LinkedHashSet<>();
            for (SignatureTable.Candidate c : family.getValue()) {
                if (!bugs.contains(c.signature().bug())) {
                    bugs.add(c.signature().bug());
                }
                differing.addAll(c.differing());
            }
            page.append("<li><strong>").append(escape(family.getKey())).append("</strong>: ")
                    .append(escape(String.join("; ", bugs)));
            if (!differing.isEmpty()) {
                List<String> differs = new ArrayList<>();
                for (String probe : differing) {
                    differs.add(probe + (failing.contains(probe) ? " (fails here)" : " (holds here)"));
                }
                page.append("; differs on ").append(escape(String.join(", ", differs)));
            }
            page.append("</li>\n");
        }
        page.append("</ul>\n</section>\n");
    }

    private void probeTable(StringBuilder page) {
        page.append("<section id=\"probes\">\n<h2>Probes</h2>\n");
        if (probes.isEmpty()) {
            page.append("<p>No probes were run.</p>\n</section>\n");
            return;
        }
        page.append("<table class=\"probes\">\n<tr><th>probe</th><th></th><th>property</th><th>note</th></tr>\n");
        for (ProbeResult p : probes) {
            String css = switch (p.verdict()) {
                case HOLDS -> "holds";
                case FAILS -> "fails";
                case NOT_APPLICABLE -> "na";
            };
            String mark = p.verdict() == ProbeResult.Verdict.NOT_APPLICABLE ? "n/a" : p.mark();
            page.append("<tr class=\"").append(css).append("\"><td>").append(escape(p.probe()))
                    .append("</td><td class=\"mark\">").append(mark).append("</td><td>").append(escape(p.property()))
                    .append("</td><td>").append(probeNote(p)).append("</td></tr>\n");
        }
        page.append("</table>\n</section>\n");
    }

    private void timeline(StringBuilder page) {
        page.append("<section id=\"timeline\">\n<h2>Session</h2>\n<p>").append(escape(timeline.title())).append("</p>\n");
        page.append("<table class=\"timeline\">\n<tr><th>time</th><th>driver</th><th>what</th><th></th></tr>\n");
        for (Timeline.Entry e : timeline.entries()) {
            page.append("<tr").append(e.mark().isEmpty() ? "" : " class=\"marked\"").append("><td>")
                    .append(escape(e.time())).append("</td><td>").append(escape(e.who())).append("</td><td>")
                    .append(escape(e.what())).append("</td><td>").append(escape(e.mark())).append("</td></tr>\n");
        }
        page.append("</table>\n<ul>\n");
        for (String line : timeline.summary()) {
            page.append("<li>").append(escape(line)).append("</li>\n");
        }
        page.append("</ul>\n</section>\n");
    }

    private static String probeNote(ProbeResult p) {
        Comparison e = p.evidence();
        if (e == null) {
            return escape(p.note());
        }
        StringBuilder note = new StringBuilder();
        if (!p.note().isEmpty()) {
            note.append(escape(p.note())).append(' ');
        }
        if (!e.sameShape() || !e.sameType() || e.size() == 0) {
            note.append(e.sameShape() ? "dtype " + e.actualType() + " but demanded " + e.expectedType()
                    : "shape " + e.actualShape() + " but demanded " + e.expectedShape());
        } else {
            int worst = (e.size() == 0 ? -1 : e.neediest());
            note.append(String.format(Locale.ROOT, "mismatched %d / %d; worst |Δ| %s", e.mismatched(), e.size(),
                    Images.number(Math.abs((double) e.actual()[worst] - e.expected()[worst]))));
            if (worst >= 0 && p.fails()) {
                note.append(" at ").append(escape(at(e.index(worst), padNames(p.axes(), e.actualShape().dimension()))));
            }
        }
        if (p.fails()) {
            note.append("<details><summary>evidence</summary><pre>").append(escape(p.report())).append("</pre></details>");
        }
        return note.toString();
    }

    private List<String> names() {
        return padNames(axes, comparison.actualShape().dimension());
    }

    private static List<String> padNames(List<String> given, int rank) {
        List<String> names = new ArrayList<>();
        for (int axis = 0; axis < rank; axis++) {
            names.add(given != null && axis < given.size() ? given.get(axis) : "dim" + axis);
        }
        return names;
    }

    /** The axis named as a position, else the one before the last, else the only one. */
    private static int positionAxis(List<String> names) {
        for (int axis = 0; axis < names.size(); axis++) {
            if (POSITION_AXES.contains(names.get(axis))) {
                return axis;
            }
        }
        return Math.max(0, names.size() - 2);
    }

    private int flat(long[] index) {
        long flat = 0;
        for (int axis = 0; axis < index.length; axis++) {
            flat = flat * comparison.actualShape().get(axis) + index[axis];
        }
        return Math.toIntExact(flat);
    }

    private static double finiteMax(double current, double a, double b) {
        double m = current;
        m = Double.isFinite(a) ? Math.max(m, a) : m;
        return Double.isFinite(b) ? Math.max(m, b) : m;
    }

    private static String at(long[] index, List<String> names) {
        StringBuilder s = new StringBuilder("[");
        for (int axis = 0; axis < index.length; axis++) {
            s.append(axis == 0 ? "" : ", ").append(names.get(axis)).append(' ').append(index[axis]);
        }
        return s.append(']').toString();
    }

    private static void fact(StringBuilder page, String name, String value) {
        page.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
    }

    private static void image(StringBuilder page, BufferedImage image, String alt) {
        page.append("<img src=\"").append(Images.dataUri(image)).append("\" width=\"").append(image.getWidth())
                .append("\" height=\"").append(image.getHeight()).append("\" alt=\"").append(escape(alt)).append("\">\n");
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private static final String CSS = """
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #222;
                   max-width: 1280px; margin: 24px auto; padding: 0 16px; }
            h1 { font-size: 22px; margin-bottom: 8px; }
            h2 { font-size: 17px; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 28px; }
            .verdict { font-size: 16px; font-weight: 600; }
            .verdict.pass, .holds .mark { color: #1a7f37; }
            .verdict.fail, .fails .mark { color: #b2182b; }
            .na .mark { color: #888; }
            table { border-collapse: collapse; margin: 8px 0; }
            th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: left; vertical-align: top; }
            table.facts th { background: #f6f8fa; font-weight: 600; white-space: nowrap; }
            table.probes td.mark, table.layers td.mark { text-align: center; font-weight: 700; }
            table.probes td:first-child, table.layers td:first-child { white-space: nowrap; }
            table.layers td { padding: 2px 10px; }
            table.layers tr.first td { background: #fdecea; font-weight: 600; }
            .row { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; margin: 8px 0; }
            img { display: block; border: 1px solid #eee; }
            pre { background: #f6f8fa; padding: 10px; overflow-x: auto; font-size: 12.5px; }
            details summary { cursor: pointer; color: #555; }
            table.timeline td:first-child { white-space: nowrap; font-variant-numeric: tabular-nums; }
            table.timeline tr.marked td { background: #f3f8ee; }
            footer { margin-top: 32px; color: #999; font-size: 12px; }
            """;
}
