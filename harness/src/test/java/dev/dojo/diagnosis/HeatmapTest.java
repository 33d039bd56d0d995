package dev.dojo.diagnosis;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.junit.ScopedManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ScopedManager.class)
class HeatmapTest {
    private static final Tolerance TOLERANCE = Tolerance.absolute(0.05);

    /** (2, 3, 4): |Δ| = 0.1 · (pos + 1) at dim = pos, in batch 1 only; 0.01 (within tolerance) elsewhere in batch 0. */
    private static Comparison diagonal(NDManager manager) {
        float[] expected = new float[24];
        float[] actual = new float[24];
        for (int i = 0; i < 12; i++) {
            actual[i] = 0.01f;
        }
        for (int pos = 0; pos < 3; pos++) {
            actual[12 + pos * 4 + pos] = 0.1f * (pos + 1);
        }
        return Comparison.of(manager.create(actual, new Shape(2, 3, 4)), manager.create(expected, new Shape(2, 3, 4)),
                TOLERANCE);
    }

    @Test
    @DisplayName("shades position × channel with Unicode blocks, blank within tolerance")
    void unicode(NDManager manager) {
        assertThat(Heatmap.render(diagonal(manager), List.of("batch", "pos", "dim"), Style.UNICODE)).isEqualTo(lines("""
                  |Δ| by pos (rows) × dim (columns), max over batch; blank: within tolerance
                     0
                  0 │▒   │
                  1 │ ▓  │
                  2 │  █ │
                  scale: ░ ≤ 0.075  ▒ ≤ 0.15  ▓ ≤ 0.23  █ ≤ 0.3
                """));
    }

    @Test
    @DisplayName("falls back to plain ASCII shades and frame")
    void ascii(NDManager manager) {
        assertThat(Heatmap.render(diagonal(manager), List.of("batch", "pos", "dim"), Style.ASCII)).isEqualTo(lines("""
                  |d| by pos (rows) x dim (columns), max over batch; blank: within tolerance
                     0
                  0 |:   |
                  1 | *  |
                  2 |  # |
                  scale: . <= 0.075  : <= 0.15  * <= 0.23  # <= 0.3
                """));
    }

    @Test
    @DisplayName("puts several channels in one column when there are more than 64, and says so")
    void binsWideAxes(NDManager manager) {
        float[] expected = new float[130];
        float[] actual = new float[130];
        actual[129] = 1;
        Comparison c = Comparison.of(manager.create(actual, new Shape(1, 130)), manager.create(expected, new Shape(1, 130)),
                TOLERANCE);

        assertThat(Heatmap.render(c, List.of("pos", "dim"), Style.UNICODE)).isEqualTo(lines("""
                  |Δ| by pos (rows) × dim (columns), 3 dim per column; blank: within tolerance
                     0       24      48      72      96      120
                  0 │                                           █│
                  scale: ░ ≤ 0.25  ▒ ≤ 0.5  ▓ ≤ 0.75  █ ≤ 1
                """));
    }

    @Test
    @DisplayName("draws nothing when every value is within tolerance, or shapes differ")
    void nothingToDraw(NDManager manager) {
        Comparison close = Comparison.of(manager.create(new float[] {1, 2}, new Shape(1, 2)),
                manager.create(new float[] {1, 2.01f}, new Shape(1, 2)), TOLERANCE);
        Comparison shapes = Comparison.of(manager.create(new float[] {1, 2}, new Shape(1, 2)),
                manager.create(new float[] {1, 2}, new Shape(2, 1)), TOLERANCE);

        assertThat(Heatmap.render(close, List.of("pos", "dim"), Style.UNICODE)).isEmpty();
        assertThat(Heatmap.render(shapes, List.of("pos", "dim"), Style.UNICODE)).isEmpty();
    }

    /** A text block without its final line break. */
    private static String lines(String block) {
        return block.substring(0, block.length() - 1);
    }
}
