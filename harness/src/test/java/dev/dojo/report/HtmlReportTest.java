package dev.dojo.report;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.diagnosis.Localization;
import dev.dojo.diagnosis.Localization.StepDivergence;
import dev.dojo.diagnosis.Signature;
import dev.dojo.diagnosis.SignatureTable;
import dev.dojo.junit.ScopedManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The page: self-contained, with every section a kata run needs, written atomically. */
@ExtendWith(ScopedManager.class)
class HtmlReportTest {
    private static final Pattern SOURCE = Pattern.compile("\\b(?:src|href)=\"([^\"]*)\"");

    @Test
    @DisplayName("an attention report shows the summary, the error charts, three maps per head and the probes")
    void attentionReport(NDManager manager) {
        String html = ReportCases.maskOnQueryAxis(manager).html();

        assertThat(html).contains("✗ Attention output diverges from the reference attention with a key padding mask",
                "<th>tolerance</th><td>abs 1e-5, rel 1e-4</td>", "<th>seed</th><td>21 (reruns this exact case)</td>",
                "<h2>Error by pos</h2>", "<h2>Attention maps, query × key</h2>", "Batch item 1 (where the maps differ most)",
                "Orange marks pad keys.");
        assertThat(count(html, "<img ")).as("images: 3 error charts and 3 maps for each of 4 heads").isEqualTo(3 + 12);
        assertThat(html).doesNotContain("<h2>Values");
    }

    @Test
    @DisplayName("a report of another component shows expected, actual and |Δ| through the worst element")
    void valuesReport(NDManager manager) {
        String html = ReportCases.ropeCountingFromOne(manager).html();

        assertThat(html).contains("<h2>Values, pos × dim</h2>", "The slice at batch ", ", through the largest |Δ|.",
                "alt=\"expected values\"", "alt=\"actual values\"", "alt=\"absolute difference\"");
        assertThat(count(html, "<img ")).as("images: 4 error charts and 3 maps").isEqualTo(4 + 3);
        assertThat(html).doesNotContain("Attention maps");
    }

    @Test
    @DisplayName("the probe table shows ✓, ✗ and n/a, with a failing probe's evidence")
    void probeTable(NDManager manager) {
        String html = ReportCases.maskOnQueryAxis(manager).html();

        assertThat(html).contains(
                "<tr class=\"holds\"><td>batch independence</td><td class=\"mark\">✓</td>",
                "<tr class=\"fails\"><td>padding independence</td><td class=\"mark\">✗</td>",
                "<tr class=\"na\"><td>kv-cache</td><td class=\"mark\">n/a</td>",
                "the attention has no KV cache", "<details><summary>evidence</summary><pre>✗ padding independence: ");
    }

    @Test
    @DisplayName("the |Δ| map leaves each cell within tolerance blank, relative allowance included, and colours each beyond it")
    void differenceMapBlanksWithinTolerance(NDManager manager) throws IOException {
        float[] expected = {0f, 0f, 0f, 10f, 0f, 0f};
        float[] actual = {5e-6f, 0.5f, 0f, 10.0005f, 2e-5f, 0.25f};
        Comparison c = Comparison.of(manager.create(actual, new Shape(1, 2, 3)),
                manager.create(expected, new Shape(1, 2, 3)), Tolerance.of(1e-5, 1e-4));

        String html = HtmlReport.of("values", c, "Output", "the reference", List.of("batch", "pos", "dim")).html();

        BufferedImage map = image(html, "absolute difference");
        Heatmap geometry = new Heatmap("", new float[2][3], "pos", "dim", ColourScale.weights(1));
        assertThat(centre(map, geometry, 0, 0)).as("|Δ| 5e-6, within abs 1e-5").isEqualTo(ColourScale.BLANK);
        assertThat(centre(map, geometry, 0, 2)).as("|Δ| 0").isEqualTo(ColourScale.BLANK);
        assertThat(centre(map, geometry, 1, 0)).as("|Δ| 5e-4 at 10, within rel 1e-4").isEqualTo(ColourScale.BLANK);
        assertThat(centre(map, geometry, 1, 1)).as("|Δ| 2e-5, just beyond").isNotEqualTo(ColourScale.BLANK);
        assertThat(centre(map, geometry, 0, 1)).as("|Δ| 0.5, the largest").isNotEqualTo(ColourScale.BLANK)
                .isNotEqualTo(centre(map, geometry, 1, 1));
        assertThat(html).contains("In |Δ|, a cell within tolerance (abs 1e-5, rel 1e-4) is blank, and the colour starts"
                + " at the tolerance.");
    }

    @Test
    @DisplayName("the attention difference map leaves cells within tolerance blank, and shows weight gained red and lost blue")
    void attentionDifferenceBlanksWithinTolerance(NDManager manager) throws IOException {
        AttentionWeights reference = new AttentionWeights(1, 1, 2, new float[] {1f, 0f, 0.5f, 0.5f});
        AttentionWeights underTest = new AttentionWeights(1, 1, 2, new float[] {1f - 5e-5f, 5e-6f, 0.3f, 0.7f});
        Comparison c = Comparison.of(manager.create(new float[] {1f, 2f}), manager.create(new float[] {1f, 2.5f}),
                Tolerance.of(1e-5, 1e-4));

        String html = HtmlReport.of("attention", c, "Output", "the reference", List.of("pos"))
                .withAttention(new AttentionView(reference, underTest, null, 0, List.of(0))).html();

        BufferedImage map = image(html, "difference, head 0");
        Heatmap geometry = new Heatmap("", new float[2][2], "query", "key", ColourScale.weights(1));
        assertThat(centre(map, geometry, 0, 0)).as("Δ -5e-5 at 1, within rel 1e-4").isEqualTo(ColourScale.BLANK);
        assertThat(centre(map, geometry, 0, 1)).as("Δ +5e-6").isEqualTo(ColourScale.BLANK);
        Color lost = centre(map, geometry, 1, 0);
        Color gained = centre(map, geometry, 1, 1);
        assertThat(lost.getBlue()).as("blue of weight lost").isGreaterThan(lost.getRed());
        assertThat(gained.getRed()).as("red of weight gained").isGreaterThan(gained.getBlue());
    }

    @Test
    @DisplayName("the layer-by-layer trace is a table with the first divergence marked, and the text the test prints")
    void layerTrace(NDManager manager) {
        Tolerance tolerance = Tolerance.of(1e-5, 1e-4);
        Localization trace = new Localization("prenorm-block", "reference", tolerance, List.of(
                new StepDivergence(0, "attention norm", 0, false, 1, ""),
                new StepDivergence(0, "ffn norm input", 1.07, true, 1.07e5, ""),
                new StepDivergence(-1, "logits", 0.93, true, 0.87, "")), 1, 0, List.of());

        String html = ReportCases.ropeCountingFromOne(manager).withLocalization(trace).html();

        assertThat(html).contains("<h2>Layer by layer</h2>", "prenorm-block and reference run as a tiny model on the"
                        + " same parameters and input (seed 21)",
                "The first divergence is <strong>block 0 · ffn norm input</strong>",
                "<tr class=\"holds\"><td>block 0</td><td>attention norm</td><td class=\"mark\">✓</td><td>0</td>",
                "<tr class=\"fails first\"><td>block 0</td><td>ffn norm input</td><td class=\"mark\">✗</td>"
                        + "<td>1.07</td><td>◀ first divergence (jump ×1.07e5)</td></tr>",
                "<tr class=\"fails\"><td>model</td><td>logits</td>",
                "<details><summary>as the test prints it</summary><pre>" + escape(trace.render(
                        dev.dojo.diagnosis.Style.UNICODE).lines().map(l -> l.substring(2) + "\n")
                        .reduce("", String::concat)));
        assertThat(ReportCases.ropeCountingFromOne(manager).html()).doesNotContain("Layer by layer");
    }

    @Test
    @DisplayName("the page names no bug unless given the signatures, for a coach: then it lists the ones the probes fit")
    void suggestionsOnlyForACoach(NDManager manager) {
        SignatureTable table = new SignatureTable(List.of(
                new Signature("mask broadcast on the wrong axis", "the padding mask masks queries",
                        Set.of("padding independence")),
                new Signature("causal mask", "the causal mask is never applied", Set.of("causality"))));

        String evidence = ReportCases.maskOnQueryAxis(manager).html();
        String coached = ReportCases.maskOnQueryAxis(manager).withSuggestions(table).html();

        assertThat(evidence).doesNotContainIgnoringCase("consistent with")
                .doesNotContain("mask broadcast on the wrong axis", "the padding mask masks queries");
        assertThat(coached).contains("<h2>Consistent with</h2>",
                "<li><strong>mask broadcast on the wrong axis</strong>: the padding mask masks queries</li>")
                .doesNotContain("the causal mask is never applied");
    }

    @Test
    @DisplayName("the page loads nothing from outside: every image is a data URI, and there is no script")
    void selfContained(NDManager manager) {
        for (String html : List.of(ReportCases.maskOnQueryAxis(manager).html(),
                ReportCases.ropeCountingFromOne(manager).html())) {
            Matcher m = SOURCE.matcher(html);
            int sources = 0;
            while (m.find()) {
                assertThat(m.group(1)).startsWith("data:image/png;base64,");
                sources++;
            }
            assertThat(sources).isPositive();
            assertThat(html).doesNotContain("<script", "<link", "@import", "url(");
        }
    }

    @Test
    @DisplayName("a comparison that passes says so and shows no failure text")
    void passing(NDManager manager) {
        Comparison same = Comparison.of(manager.ones(new Shape(2, 3)),
                manager.ones(new Shape(2, 3)), Tolerance.absolute(1e-5));

        String html = HtmlReport.of("agrees", same, "Output", "the reference", List.of("pos", "dim")).html();

        assertThat(html).contains("✓ Output agrees with the reference", "<td>0 / 6 (0.0%)</td>",
                "<p>No probes were run.</p>");
        assertThat(html).doesNotContain("as the test reports it");
    }

    @Test
    @DisplayName("a shape mismatch is reported before values, with no charts")
    void shapeMismatch(NDManager manager) {
        Comparison c = Comparison.of(manager.ones(new Shape(2, 3)),
                manager.ones(new Shape(3, 2)), Tolerance.absolute(1e-5));

        String html = HtmlReport.of("shapes", c, "Output", "the reference", List.of("pos", "dim")).html();

        assertThat(html).contains("<th>shape</th><td>(2, 3) but expected (3, 2)</td>");
        assertThat(html).doesNotContain("<img ");
    }

    @Test
    @DisplayName("titles and names are escaped")
    void escapes(NDManager manager) {
        Comparison same = Comparison.of(manager.ones(new Shape(2)),
                manager.ones(new Shape(2)), Tolerance.absolute(1e-5));

        String html = HtmlReport.of("<b>&", same, "a<b>", "c\"d", List.of("pos")).html();

        assertThat(html).contains("<title>&lt;b&gt;&amp;</title>", "a&lt;b&gt; agrees with c&quot;d");
    }

    @Test
    @DisplayName("write replaces the file whole and leaves no temporary file behind")
    void writesAtomically(NDManager manager, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("reports/mask.html");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "old");
        HtmlReport report = ReportCases.ropeCountingFromOne(manager);

        Path written = report.write(file);

        assertThat(written).isEqualTo(file.toAbsolutePath());
        assertThat(Files.readString(file)).isEqualTo(report.html());
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        }
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    /** The picture whose alt text is {@code alt}, decoded. */
    private static BufferedImage image(String html, String alt) throws IOException {
        Matcher m = Pattern.compile("<img src=\"data:image/png;base64,([^\"]+)\"[^>]* alt=\"" + Pattern.quote(alt)
                + "\">").matcher(html);
        assertThat(m.find()).as("an image with alt text '%s'", alt).isTrue();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
        assertThat(image).as("decoded PNG").isNotNull();
        return image;
    }

    private static Color centre(BufferedImage image, Heatmap geometry, int row, int column) {
        int[] origin = geometry.cellOrigin(row, column);
        return new Color(image.getRGB(origin[0] + geometry.cellWidth() / 2, origin[1] + geometry.cellHeight() / 2));
    }

    private static String escape(String s) {
        return HtmlReport.escape(s);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
