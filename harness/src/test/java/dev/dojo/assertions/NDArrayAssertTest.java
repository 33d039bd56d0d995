package dev.dojo.assertions;

import dev.dojo.compare.Tolerance;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dojo.junit.ScopedManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code assertThat(actual).isCloseTo(expected, tolerance)}: what passes, and the exact text of what fails. */
@ExtendWith(ScopedManager.class)
class NDArrayAssertTest {

    @Test
    @DisplayName("values within tolerance pass, at the boundary too")
    void closeValuesPass(NDManager manager) {
        NDArray actual = tensor(manager, new float[] {1.5f, -2, 0.25f}, 3);
        NDArray expected = tensor(manager, new float[] {1, -2, 0.25f}, 3);

        assertThatCode(() -> assertThat(actual).isCloseTo(expected, Tolerance.absolute(0.5))).doesNotThrowAnyException();
        assertThatCode(() -> assertThat(actual).isCloseTo(expected, Tolerance.of(0, 0.5))).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("a tensor is close to itself under any tolerance")
    void identicalPasses(NDManager manager) {
        NDArray x = tensor(manager, new float[] {3, 1, 4, 1, 5, 9}, 2, 3);

        assertThatCode(() -> assertThat(x).isCloseTo(x.duplicate(), Tolerance.absolute(1e-12))).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("a failure's message is the report, with the names, axes and seed it was given")
    void failureMessageIsTheReport(NDManager manager) {
        NDArray actual = tensor(manager, new float[] {1, 2, 3, 5}, 2, 2);
        NDArray expected = tensor(manager, new float[] {1, 2, 3, 4}, 2, 2);

        assertThatThrownBy(() -> assertThat(actual).named("Block output").against("the PyTorch reference")
                .withAxes("pos", "dim").withSeed(3).isCloseTo(expected, Tolerance.absolute(1e-5)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("Block output diverges from the PyTorch reference\n"
                        + "  mismatched: 1 / 4 (25.0%)   tolerance: abs 1e-5\n"
                        + "  worst: |Δ| = 1 at [pos 1, dim 1] (actual 5, expected 4, rel 0.25)\n"
                        + "  would pass with: abs 1\n"
                        + "  by pos: ·█  matches before pos 1, diverges from pos 1\n"
                        + "  seed: 3 (reruns this exact case)");
    }

    @Test
    @DisplayName("without names the report says actual and expected, and dim0, dim1, … for the axes")
    void defaultNames(NDManager manager) {
        NDArray actual = tensor(manager, new float[] {1, 2}, 1, 2);
        NDArray expected = tensor(manager, new float[] {1, 2, 3}, 1, 3);

        assertThatThrownBy(() -> assertThat(actual).isCloseTo(expected, Tolerance.absolute(1e-5)))
                .hasMessage("actual has shape (1, 2) but expected has shape (1, 3) (dim1: 2 vs 3)");
    }

    @Test
    @DisplayName("NaN fails even against NaN, which DJL's own assertions let pass")
    void nanFails(NDManager manager) {
        NDArray actual = tensor(manager, new float[] {Float.NaN, 1}, 2);
        NDArray expected = tensor(manager, new float[] {Float.NaN, 1}, 2);

        assertThatThrownBy(() -> assertThat(actual).withAxes("dim").isCloseTo(expected, Tolerance.absolute(1)))
                .hasMessage("actual is not finite: 1 NaN and 0 Inf in 2 values, the first at [dim 0]"
                        + " (NaN and Inf are never close)");
    }

    @Test
    @DisplayName("isFinite passes on finite values and names the first NaN or Inf otherwise")
    void isFinite(NDManager manager) {
        NDArray finite = tensor(manager, new float[] {1e30f, -1e30f, 0}, 3);
        NDArray infinite = tensor(manager, new float[] {0, 1, 2, Float.NEGATIVE_INFINITY, Float.NaN, 5}, 2, 3);

        assertThatCode(() -> assertThat(finite).isFinite()).doesNotThrowAnyException();
        assertThatThrownBy(() -> assertThat(infinite).named("Attention weights").withAxes("query", "key").isFinite())
                .hasMessage("Attention weights is not finite: 1 NaN and 1 Inf in 6 values, the first at [query 1, key 0]"
                        + " (NaN and Inf are never close)");
    }

    @Test
    @DisplayName("a null actual fails as AssertJ does, before any comparison")
    void nullActual(NDManager manager) {
        NDArray expected = tensor(manager, new float[] {1}, 1);

        assertThatThrownBy(() -> assertThat((NDArray) null).isCloseTo(expected, Tolerance.absolute(1)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Expecting actual not to be null");
    }

    private static NDArray tensor(NDManager manager, float[] values, long... shape) {
        return manager.create(values, new Shape(shape));
    }
}
