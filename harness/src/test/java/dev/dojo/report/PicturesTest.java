package dev.dojo.report;

import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.junit.ScopedManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The report's pictures: PNGs that decode to the size drawn, with colours that tell values apart. */
@ExtendWith(ScopedManager.class)
class PicturesTest {

    @Test
    @DisplayName("a heatmap encodes to a PNG that decodes to the size drawn, wide enough for every cell")
    void heatmapPngDecodes() throws IOException {
        Heatmap map = new Heatmap("weights", new float[7][7], "query", "key", ColourScale.weights(1));
        BufferedImage drawn = map.draw();

        BufferedImage decoded = decode(Images.png(drawn));

        assertThat(decoded.getWidth()).isEqualTo(drawn.getWidth()).isGreaterThanOrEqualTo(7 * map.cellWidth());
        assertThat(decoded.getHeight()).isEqualTo(drawn.getHeight()).isGreaterThanOrEqualTo(7 * map.cellHeight());
    }

    @Test
    @DisplayName("a |Δ| heatmap shows a large difference in another colour than zero, and zero as white")
    void magnitudeColours() {
        float[][] difference = {{0f, 0.5f}, {1f, 0f}};
        Heatmap map = new Heatmap("|Δ|", difference, "pos", "dim", ColourScale.magnitude(1));
        BufferedImage image = map.draw();

        Color zero = centre(image, map, 0, 0);
        Color half = centre(image, map, 0, 1);
        Color large = centre(image, map, 1, 0);

        assertThat(zero).isEqualTo(Color.WHITE);
        assertThat(large).isNotEqualTo(zero).isNotEqualTo(half);
        assertThat(half).isNotEqualTo(zero);
        assertThat(large.getGreen()).as("green of the largest |Δ|").isLessThan(half.getGreen());
    }

    @Test
    @DisplayName("a |Δ| scale from a tolerance leaves a difference within it blank and colours one just beyond it")
    void magnitudeFromTolerance() {
        ColourScale scale = ColourScale.magnitude(1e-5, 0.4);

        assertThat(scale.colour(0)).isEqualTo(ColourScale.BLANK);
        assertThat(scale.colour(1e-5)).as("at the tolerance").isEqualTo(ColourScale.BLANK);
        assertThat(scale.colour(1.1e-5)).as("just beyond the tolerance").isNotEqualTo(ColourScale.BLANK);
        assertThat(scale.colour(1.1e-5).getGreen()).as("green just beyond the tolerance").isLessThan(240);
        assertThat(scale.colour(0.4).getGreen()).as("green at the largest |Δ|").isLessThan(scale.colour(0.1).getGreen());
        assertThat(scale.bottom()).as("the colour bar starts at the tolerance").isEqualTo(1e-5);
    }

    @Test
    @DisplayName("a signed difference scale is blank within ± tolerance, red above it and blue below it")
    void signedDifference() {
        ColourScale scale = ColourScale.signedDifference(1e-5, 0.8);

        assertThat(scale.colour(-9e-6)).isEqualTo(ColourScale.BLANK);
        assertThat(scale.colour(9e-6)).isEqualTo(ColourScale.BLANK);
        Color above = scale.colour(2e-5);
        Color below = scale.colour(-2e-5);
        assertThat(above.getRed()).as("red above the tolerance").isGreaterThan(above.getBlue());
        assertThat(below.getBlue()).as("blue below the tolerance").isGreaterThan(below.getRed());
        assertThat(scale.bottom()).isEqualTo(-0.8);
        assertThat(scale.top()).isEqualTo(0.8);
    }

    @Test
    @DisplayName("a difference scale with nothing beyond its tolerance still has a range, and refuses a negative tolerance")
    void differenceScaleEdges() {
        assertThat(ColourScale.magnitude(1e-5, 1e-6).high()).isEqualTo(2e-5);
        assertThat(ColourScale.magnitude(0, 0).high()).isEqualTo(1);
        assertThatThrownBy(() -> ColourScale.magnitude(-1e-5, 1))
                .hasMessage("a difference scale starts at a tolerance of at least 0, got -1.0E-5");
    }

    @Test
    @DisplayName("a NaN cell is magenta, a colour no scale uses")
    void nanCell() {
        float[][] values = {{Float.NaN, 0f}};
        Heatmap map = new Heatmap("values", values, "pos", "dim", ColourScale.signed(1));

        assertThat(centre(map.draw(), map, 0, 0)).isEqualTo(ColourScale.NON_FINITE);
    }

    @Test
    @DisplayName("flagged columns get an orange strip under the map")
    void flaggedColumns() {
        Heatmap map = new Heatmap("weights", new float[3][3], "query", "key", ColourScale.weights(1),
                new boolean[] {false, false, true}, "pad key");
        BufferedImage image = map.draw();
        int[] origin = map.cellOrigin(2, 2);
        int stripY = origin[1] + map.cellHeight() + 4;

        assertThat(new Color(image.getRGB(origin[0] + map.cellWidth() / 2, stripY))).isEqualTo(Heatmap.FLAG);
        assertThat(new Color(image.getRGB(map.cellOrigin(2, 0)[0] + map.cellWidth() / 2, stripY)))
                .isNotEqualTo(Heatmap.FLAG);
    }

    @Test
    @DisplayName("the error chart draws bars beyond tolerance red and bars within it green, at the size asked")
    void errorChart(NDManager manager) throws IOException {
        Comparison c = Comparison.of(manager.create(new float[] {0f, 0f, 0f, 0f}),
                manager.create(new float[] {0f, 1e-7f, 0.01f, 0.3f}), Tolerance.absolute(1e-5));
        BufferedImage decoded = decode(Images.png(ErrorChart.draw(c.profile(0), "pos", c.tolerance(), 500, 220)));

        assertThat(decoded.getWidth()).isEqualTo(500);
        assertThat(decoded.getHeight()).isEqualTo(220);
        assertThat(count(decoded, ErrorChart.BEYOND)).as("red pixels").isGreaterThan(100);
        assertThat(count(decoded, ErrorChart.WITHIN)).as("green pixels").isGreaterThan(10);
    }

    @Test
    @DisplayName("the colour scales: white at zero for signed values, distinct ends, no empty range")
    void colourScales() {
        assertThat(ColourScale.signed(2).colour(0)).isEqualTo(new Color(247, 247, 247));
        assertThat(ColourScale.signed(2).colour(-2)).isNotEqualTo(ColourScale.signed(2).colour(2));
        assertThat(ColourScale.weights(1).colour(0)).isNotEqualTo(ColourScale.weights(1).colour(1));
        assertThat(ColourScale.magnitude(0).high()).as("a zero maximum becomes 1").isEqualTo(1);
        assertThatThrownBy(() -> new ColourScale(ColourScale.Kind.WEIGHTS, 1, 1))
                .hasMessage("a colour scale needs low < high, got [1.0, 1.0]");
    }

    @Test
    @DisplayName("a data URI holds the PNG in base64")
    void dataUri() throws IOException {
        BufferedImage image = Images.canvas(3, 2);
        String uri = Images.dataUri(image);

        assertThat(uri).startsWith("data:image/png;base64,");
        BufferedImage decoded = decode(Base64.getDecoder().decode(uri.substring("data:image/png;base64,".length())));
        assertThat(decoded.getWidth()).isEqualTo(3);
        assertThat(decoded.getHeight()).isEqualTo(2);
    }

    @Test
    @DisplayName("numbers print with three significant digits, scientific when tiny or huge")
    void numbers() {
        assertThat(Images.number(0.41234)).isEqualTo("0.412");
        assertThat(Images.number(1.0)).isEqualTo("1");
        assertThat(Images.number(1.5e-5)).isEqualTo("1.5e-5");
        assertThat(Images.number(1e-5)).isEqualTo("1e-5");
        assertThat(Images.number(1.05e-5)).isEqualTo("1.05e-5");
        assertThat(Images.number(0)).isEqualTo("0");
        assertThat(Images.number(-250)).isEqualTo("-250");
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).as("decoded PNG").isNotNull();
        return image;
    }

    private static Color centre(BufferedImage image, Heatmap map, int row, int column) {
        int[] origin = map.cellOrigin(row, column);
        return new Color(image.getRGB(origin[0] + map.cellWidth() / 2, origin[1] + map.cellHeight() / 2));
    }

    private static int count(BufferedImage image, Color colour) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                n += image.getRGB(x, y) == colour.getRGB() ? 1 : 0;
            }
        }
        return n;
    }
}
