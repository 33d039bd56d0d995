package dev.dojo.compare;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dojo.junit.ScopedManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact text of a failed comparison. The tensors are small and hand-made, with dyadic values
 * (0.25, 0.5, 1.5) so every number in the expected text can be worked out by hand.
 */
@ExtendWith(ScopedManager.class)
class ComparisonReportTest {
    private static final Tolerance TIGHT = Tolerance.absolute(1e-3);
    private static final List<String> BATCH_POS_DIM = List.of("batch", "pos", "dim");

    @Test
    @DisplayName("a shape mismatch is reported before dtype, NaN and values, naming the axis that differs")
    void shapeFirst(NDManager manager) {
        NDArray actual = manager.create(new double[] {1, Double.NaN, 3, 4, 5, 6}, new Shape(2, 3));
        NDArray expected = tensor(manager, new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);

        String report = render(Comparison.of(actual, expected, TIGHT), List.of("batch", "pos"), null);

        assertThat(report).isEqualTo("actual has shape (2, 3) but expected has shape (2, 4) (pos: 3 vs 4)");
    }

    @Test
    @DisplayName("a rank mismatch says which ranks differ")
    void rankMismatch(NDManager manager) {
        NDArray actual = tensor(manager, new float[] {1, 2, 3, 4, 5, 6}, 6);
        NDArray expected = tensor(manager, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

        String report = ComparisonReport.render(Comparison.of(actual, expected, TIGHT), "Block output",
                "the PyTorch reference", List.of("pos"), 7L);

        assertThat(report).isEqualTo("Block output has shape (6) but the PyTorch reference has shape (2, 3) (rank 1 vs 2)\n"
                + "  seed: 7 (reruns this exact case)");
    }

    @Test
    @DisplayName("a dtype mismatch is reported before NaN and values")
    void dtypeBeforeValues(NDManager manager) {
        NDArray actual = manager.create(new double[] {1, Double.NaN, 5}, new Shape(3));
        NDArray expected = tensor(manager, new float[] {1, 2, 3}, 3);

        String report = render(Comparison.of(actual, expected, TIGHT), List.of("dim"), null);

        assertThat(report).isEqualTo("actual has dtype float64 but expected has dtype float32");
    }

    @Test
    @DisplayName("NaN in the actual tensor is counted and its first index named, even where the values are otherwise equal")
    void nanInActual(NDManager manager) {
        NDArray actual = tensor(manager, new float[] {1, 2, 3, 4, Float.NaN, Float.NaN}, 2, 3);
        NDArray expected = tensor(manager, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

        Comparison comparison = Comparison.of(actual, expected, Tolerance.absolute(1e6));

        assertThat(comparison.passes()).isFalse();
        assertThat(render(comparison, List.of("batch", "pos"), null)).isEqualTo(
                "actual is not finite: 2 NaN and 0 Inf in 6 values, the first at [batch 1, pos 1]"
                        + " (NaN and Inf are never close)");
    }

    @Test
    @DisplayName("NaN is never close, not even to NaN at the same place")
    void nanNotCloseToNan(NDManager manager) {
        NDArray actual = tensor(manager, new float[] {1, Float.NaN}, 2);
        NDArray expected = tensor(manager, new float[] {1, Float.NaN}, 2);

        Comparison comparison = Comparison.of(actual, expected, TIGHT);

        assertThat(comparison.passes()).isFalse();
        assertThat(render(comparison, List.of(), null)).isEqualTo(
                "actual is not finite: 1 NaN and 0 Inf in 2 values, the first at [dim0 1] (NaN and Inf are never close)");
    }

    @Test
    @DisplayName("Inf of either sign is counted as not finite, even where the reference holds the same Inf")
    void infinities(NDManager manager) {
        NDArray actual = tensor(manager, new float[] {1, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 4}, 4);
        NDArray expected = tensor(manager, new float[] {1, Float.POSITIVE_INFINITY, 3, 4}, 4);

        Comparison comparison = Comparison.of(actual, expected, TIGHT);

        assertThat(comparison.passes()).isFalse();
        assertThat(render(comparison, List.of("dim"), null)).isEqualTo(
                "actual is not finite: 0 NaN and 2 Inf in 4 values, the first at [dim 1] (NaN and Inf are never close)");
    }

    @Test
    @DisplayName("a reference that is not finite is reported as such, since nothing can be close to it")
    void nanInExpected(NDManager manager) {
        NDArray actual = tensor(manager, new float[] {1, 2, 3}, 3);
        NDArray expected = tensor(manager, new float[] {1, 2, Float.NaN}, 3);

        String report = ComparisonReport.render(Comparison.of(actual, expected, TIGHT), "Block output",
                "the PyTorch reference", List.of("dim"), null);

        assertThat(report).isEqualTo("the PyTorch reference is not finite: 1 NaN and 0 Inf, the first at [dim 2]"
                + " (a reference must be finite to compare against)");
    }

    @Test
    @DisplayName("a value mismatch gives the mismatched count, the worst element and the tolerance that would pass")
    void valueMismatch(NDManager manager) {
        NDArray actual = tensor(manager, new float[] {1, 2, 3, 4.5f}, 4);
        NDArray expected = tensor(manager, new float[] {1, 2, 3, 4}, 4);

        String report = render(Comparison.of(actual, expected, Tolerance.of(1e-2, 1e-1)), List.of("dim"), null);

        // at dim 3: |Δ| = 0.5 > 0.01 + 0.1 · 4; abs 0.5 - 0.1 · 4 = 0.1 would pass
        assertThat(report).isEqualTo("actual diverges from expected\n"
                + "  mismatched: 1 / 4 (25.0%)   tolerance: abs 1e-2, rel 1e-1\n"
                + "  worst: |Δ| = 0.5 at [dim 3] (actual 4.5, expected 4, rel 0.125)\n"
                + "  would pass with: abs 0.1, rel 1e-1");
    }

    @Test
    @DisplayName("under a relative tolerance, the worst element shown is the one that sets the tolerance that would pass")
    void worstSetsPassingTolerance(NDManager manager) {
        NDArray actual = tensor(manager, new float[] {0.02f, 112}, 2);
        NDArray expected = tensor(manager, new float[] {0.01f, 100}, 2);

        Comparison comparison = Comparison.of(actual, expected, Tolerance.of(1e-3, 1e-1));

        // dim 0 is 5 times its allowed 0.002 off, dim 1 only 1.2 times its allowed 10.001, but needs abs 2 to pass
        assertThat(comparison.worst()).isZero();
        assertThat(render(comparison, List.of("dim"), null)).isEqualTo("actual diverges from expected\n"
                + "  mismatched: 2 / 2 (100.0%)   tolerance: abs 1e-3, rel 1e-1\n"
                + "  worst: |Δ| = 12 at [dim 1] (actual 112, expected 100, rel 0.12)\n"
                + "  would pass with: abs 2, rel 1e-1");
    }

    @Test
    @DisplayName("along a position axis: the sparkline, where divergence starts and that it grows")
    void positionAxisGrows(NDManager manager) {
        NDArray expected = tensor(manager, filled(12, 1), 1, 6, 2);
        float[] values = filled(12, 1);
        values[2 * 2] = 1.25f;                                 // pos 2, dim 0: |Δ| 0.25
        values[3 * 2] = 1.5f;                                  // pos 3: 0.5
        values[4 * 2] = 1.75f;                                 // pos 4: 0.75
        values[5 * 2] = 2f;                                    // pos 5: 1
        NDArray actual = tensor(manager, values, 1, 6, 2);

        String report = ComparisonReport.render(Comparison.of(actual, expected, TIGHT), "Block output",
                "the PyTorch reference", BATCH_POS_DIM, null);

        // bars scale |Δ| to the largest: 0.25 → ▂, 0.5 → ▄, 0.75 → ▆, 1 → █; a batch of one is not localized
        assertThat(report).isEqualTo("Block output diverges from the PyTorch reference\n"
                + "  mismatched: 4 / 12 (33.3%)   tolerance: abs 1e-3\n"
                + "  worst: |Δ| = 1 at [batch 0, pos 5, dim 0] (actual 2, expected 1, rel 1)\n"
                + "  would pass with: abs 1\n"
                + "  by pos: ··▂▄▆█  matches before pos 2, diverges from pos 2; error grows with pos");
    }

    @Test
    @DisplayName("along a position axis: scattered divergence lists where it diverges and where it matches")
    void positionAxisLaterMatches(NDManager manager) {
        NDArray expected = tensor(manager, filled(5, 0.5f), 5, 1);
        NDArray actual = tensor(manager, new float[] {0.5f, 1, 0.5f, 1.5f, 0.5f}, 5, 1);

        String report = render(Comparison.of(actual, expected, TIGHT), List.of("pos", "dim"), null);

        assertThat(report).isEqualTo("actual diverges from expected\n"
                + "  mismatched: 2 / 5 (40.0%)   tolerance: abs 1e-3\n"
                + "  worst: |Δ| = 1 at [pos 3, dim 0] (actual 1.5, expected 0.5, rel 2)\n"
                + "  would pass with: abs 1\n"
                + "  by pos: ·▄·█·  diverges at pos 1, 3; matches at 0, 2, 4");
    }

    @Test
    @DisplayName("along a batch axis: which items diverge and which match; aligned with the other axes; then the seed")
    void batchAxis(NDManager manager) {
        NDArray expected = tensor(manager, filled(12, 0.5f), 2, 3, 2);
        float[] values = filled(12, 0.5f);
        for (int pos = 0; pos < 3; pos++) {
            values[6 + pos * 2 + 1] = 0.75f;                   // batch 1, every pos, dim 1: |Δ| 0.25
        }
        values[6 + 2] = 1f;                                    // batch 1, pos 1, dim 0: |Δ| 0.5
        NDArray actual = tensor(manager, values, 2, 3, 2);

        String report = render(Comparison.of(actual, expected, Tolerance.of(1e-5, 1e-4)), BATCH_POS_DIM, 42L);

        // abs 0.5 - 1e-4 · 0.5 = 0.49995 would pass, shown rounded up
        assertThat(report).isEqualTo("actual diverges from expected\n"
                + "  mismatched: 4 / 12 (33.3%)   tolerance: abs 1e-5, rel 1e-4\n"
                + "  worst: |Δ| = 0.5 at [batch 1, pos 1, dim 0] (actual 1, expected 0.5, rel 1)\n"
                + "  would pass with: abs 0.5, rel 1e-4\n"
                + "  by batch: ·█  diverges at batch 1; matches at 0\n"
                + "  by pos:   ▄█▄  all 3 alike\n"
                + "  seed: 42 (reruns this exact case)");
    }

    @Test
    @DisplayName("along an axis where every index diverges about equally: all N alike")
    void allAlike(NDManager manager) {
        NDArray actual = tensor(manager, new float[] {1.5f, 1, 2.5f, 2}, 2, 2);
        NDArray expected = tensor(manager, new float[] {1, 1, 2, 2}, 2, 2);

        String report = render(Comparison.of(actual, expected, TIGHT), List.of("head", "dim"), null);

        assertThat(report).isEqualTo("actual diverges from expected\n"
                + "  mismatched: 2 / 4 (50.0%)   tolerance: abs 1e-3\n"
                + "  worst: |Δ| = 0.5 at [head 0, dim 0] (actual 1.5, expected 1, rel 0.5)\n"
                + "  would pass with: abs 0.5\n"
                + "  by head: ██  all 2 alike");
    }

    @Test
    @DisplayName("along an axis where every index diverges but one far more: where it peaks; rel is ∞ against 0")
    void allDivergeOnePeaks(NDManager manager) {
        NDArray actual = tensor(manager, new float[] {0.25f, 0, 0.25f, 0, 0, 1}, 3, 2);
        NDArray expected = tensor(manager, new float[6], 3, 2);

        String report = render(Comparison.of(actual, expected, TIGHT), List.of("head", "dim"), null);

        assertThat(report).isEqualTo("actual diverges from expected\n"
                + "  mismatched: 3 / 6 (50.0%)   tolerance: abs 1e-3\n"
                + "  worst: |Δ| = 1 at [head 2, dim 1] (actual 1, expected 0, rel ∞)\n"
                + "  would pass with: abs 1\n"
                + "  by head: ▂▂█  all 3 diverge, most at head 2");
    }

    @Test
    @DisplayName("the tolerance that would pass is rounded up, so the printed value does pass")
    void wouldPassRoundsUp(NDManager manager) {
        NDArray actual = tensor(manager, new float[] {1f / 3}, 1);
        NDArray expected = tensor(manager, new float[] {0}, 1);

        String report = render(Comparison.of(actual, expected, TIGHT), List.of(), null);

        assertThat(report).endsWith("  would pass with: abs 0.334");
        assertThat(Comparison.of(actual, expected, Tolerance.absolute(0.334)).passes()).isTrue();
        assertThat(Comparison.of(actual, expected, Tolerance.absolute(0.333)).passes()).isFalse();
    }

    @Test
    @DisplayName("numbers: three significant digits, scientific outside [1e-3, 1e4) with an unpadded exponent")
    void numbers() {
        assertThat(ComparisonReport.number(0.41249)).isEqualTo("0.412");
        assertThat(ComparisonReport.number(0.001)).isEqualTo("0.001");
        assertThat(ComparisonReport.number(2.5e-5)).isEqualTo("2.5e-5");
        assertThat(ComparisonReport.number(-1.23456e-7)).isEqualTo("-1.23e-7");
        assertThat(ComparisonReport.number(12345)).isEqualTo("1.23e4");
        assertThat(ComparisonReport.number(0)).isEqualTo("0");
        assertThat(ComparisonReport.number(Double.NaN)).isEqualTo("NaN");
    }

    private static String render(Comparison comparison, List<String> axes, Long seed) {
        return ComparisonReport.render(comparison, "actual", "expected", axes, seed);
    }

    private static NDArray tensor(NDManager manager, float[] values, long... shape) {
        return manager.create(values, new Shape(shape));
    }

    private static float[] filled(int size, float value) {
        float[] values = new float[size];
        java.util.Arrays.fill(values, value);
        return values;
    }
}
