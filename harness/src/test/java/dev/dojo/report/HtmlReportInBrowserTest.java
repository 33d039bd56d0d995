package dev.dojo.report;

import ai.djl.ndarray.NDManager;
import dev.dojo.junit.ScopedManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The report as a browser shows it: headless Chromium opens the page, every embedded image
 * decodes to a non-zero size, and a screenshot is not blank. One page is enough (every picture
 * is embedded the same way) and each launch costs seconds. Skipped, saying why, where the
 * Debian package {@code chromium} is not installed. The pages and screenshots stay in
 * {@code target/dojo-report} for a person to look at.
 */
@ExtendWith(ScopedManager.class)
class HtmlReportInBrowserTest {
    private static final Path OUT = Path.of("target", "dojo-report");
    private static final long TIMEOUT_SECONDS = 60;
    private static final Pattern IMAGES = Pattern.compile("data-images=\"([^\"]*)\"");
    private static final Pattern IMAGE = Pattern.compile("(\\d+)x(\\d+):(true|false)");
    /** On load, lists each image's natural size and whether it finished loading. */
    private static final String PROBE = """
            <script>
            window.addEventListener('load', function () {
              var sizes = [];
              document.querySelectorAll('img').forEach(function (i) {
                sizes.push(i.naturalWidth + 'x' + i.naturalHeight + ':' + i.complete);
              });
              document.body.setAttribute('data-images', sizes.join(' '));
              document.title = 'loaded ' + sizes.length;
            });
            </script>
            """;

    private static Path chromium;

    @BeforeAll
    static void findChromium() {
        chromium = onPath("chromium", "chromium-browser");
        assumeTrue(chromium != null, "headless Chromium is not on the PATH: install the Debian package 'chromium'"
                + " (apt-get install -y chromium) to check that the HTML report renders");
    }

    @Test
    @DisplayName("the attention report renders in Chromium: every image has a natural size, the page is not blank")
    void attentionReportRenders(NDManager manager) throws Exception {
        rendersInBrowser(ReportCases.maskOnQueryAxis(manager), "mask-on-query-axis");
    }

    private static void rendersInBrowser(HtmlReport report, String name) throws Exception {
        Path page = report.write(OUT.resolve(name + ".html"));
        String html = Files.readString(page);
        Path probed = OUT.resolve(name + ".probed.html").toAbsolutePath();
        Files.writeString(probed, html.replace("</body>", PROBE + "</body>"));
        Path screenshot = OUT.resolve(name + ".png").toAbsolutePath();
        Files.deleteIfExists(screenshot);

        String dom = chromium(probed, screenshot);

        Matcher listed = IMAGES.matcher(dom);
        assertThat(listed.find()).as("the page's load script ran and listed its images; DOM:%n%s",
                dom.length() > 2000 ? dom.substring(0, 2000) : dom).isTrue();
        List<String> sizes = new ArrayList<>(List.of(listed.group(1).split(" ")));
        assertThat(sizes).as("one entry per <img>").hasSize(count(html, "<img "));
        for (String size : sizes) {
            Matcher m = IMAGE.matcher(size);
            assertThat(m.matches()).as("image entry '%s'", size).isTrue();
            assertThat(Integer.parseInt(m.group(1))).as("natural width in '%s'", size).isPositive();
            assertThat(Integer.parseInt(m.group(2))).as("natural height in '%s'", size).isPositive();
            assertThat(m.group(3)).as("complete in '%s'", size).isEqualTo("true");
        }
        assertThat(screenshot).exists();
        BufferedImage shot = ImageIO.read(screenshot.toFile());
        assertThat(shot).as("the screenshot decodes").isNotNull();
        assertThat(distinctColours(shot)).as("distinct colours in the screenshot (a blank page has one)")
                .isGreaterThan(50);
    }

    /** Runs Chromium on {@code page}, saving a screenshot; returns the DOM after load. Bounded and cleaned up. */
    private static String chromium(Path page, Path screenshot) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("dojo-chromium-");
        Path dom = Files.createTempFile("dojo-dom-", ".html");
        Path log = Files.createTempFile("dojo-chromium-", ".log");
        Process process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=1300,3000",
                "--virtual-time-budget=5000", "--dump-dom", "--screenshot=" + screenshot, page.toUri().toString())
                .redirectOutput(dom.toFile()).redirectError(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        process.getOutputStream().close();
        Set<ProcessHandle> started = new HashSet<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(started::add);
                if (System.nanoTime() > deadline) {
                    fail("Chromium did not finish within " + TIMEOUT_SECONDS + " s on " + page + "; its log: "
                            + tail(log));
                }
            }
            assertThat(process.exitValue()).as("Chromium's exit code; its log: %s", tail(log)).isZero();
            return Files.readString(dom);
        } finally {
            started.forEach(ProcessHandle::destroyForcibly);
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            delete(profile);
            Files.deleteIfExists(dom);
            Files.deleteIfExists(log);
        }
    }

    private static Path onPath(String... names) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    private static String tail(Path log) throws IOException {
        String text = Files.readString(log);
        return text.length() > 1500 ? text.substring(text.length() - 1500) : text;
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
