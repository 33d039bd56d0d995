package dev.dojo.report;

import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.junit.ScopedManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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
        Comparison same = Comparison.of(manager.ones(new ai.djl.ndarray.types.Shape(2, 3)),
                manager.ones(new ai.djl.ndarray.types.Shape(2, 3)), Tolerance.absolute(1e-5));

        String html = HtmlReport.of("agrees", same, "Output", "the reference", List.of("pos", "dim")).html();

        assertThat(html).contains("✓ Output agrees with the reference", "<td>0 / 6 (0.0%)</td>",
                "<p>No probes were run.</p>");
        assertThat(html).doesNotContain("as the test reports it");
    }

    @Test
    @DisplayName("a shape mismatch is reported before values, with no charts")
    void shapeMismatch(NDManager manager) {
        Comparison c = Comparison.of(manager.ones(new ai.djl.ndarray.types.Shape(2, 3)),
                manager.ones(new ai.djl.ndarray.types.Shape(3, 2)), Tolerance.absolute(1e-5));

        String html = HtmlReport.of("shapes", c, "Output", "the reference", List.of("pos", "dim")).html();

        assertThat(html).contains("<th>shape</th><td>(2, 3) but expected (3, 2)</td>");
        assertThat(html).doesNotContain("<img ");
    }

    @Test
    @DisplayName("titles and names are escaped")
    void escapes(NDManager manager) {
        Comparison same = Comparison.of(manager.ones(new ai.djl.ndarray.types.Shape(2)),
                manager.ones(new ai.djl.ndarray.types.Shape(2)), Tolerance.absolute(1e-5));

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

    private static int count(String s, String part) {
        int n = 0;
        for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
