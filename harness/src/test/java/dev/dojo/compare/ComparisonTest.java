package dev.dojo.compare;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dojo.junit.ScopedManager;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The facts a comparison gathers: counts, the worst element, indices, per-axis profiles, the passing tolerance. */
@ExtendWith(ScopedManager.class)
class ComparisonTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    @DisplayName("passingAbsolute passes when used as the absolute tolerance; slightly less fails")
    void passingAbsoluteIsTight(long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        NDArray expected = seeded.normal("expected", 1, 4, 5, 6);
        NDArray actual = expected.add(seeded.normal("error", 0.01, 4, 5, 6));

        for (double relative : new double[] {0, 1e-4, 1e-2}) {
            Tolerance loose = relative == 0 ? Tolerance.absolute(1e-6) : Tolerance.of(1e-6, relative);
            double passing = Comparison.of(actual, expected, loose).passingAbsolute();

            assertThat(passing).as("rel %s", relative).isPositive();
            assertThat(Comparison.of(actual, expected, new Tolerance(passing, relative)).passes())
                    .as("abs %s, rel %s", passing, relative).isTrue();
            assertThat(Comparison.of(actual, expected, new Tolerance(passing * (1 - 1e-6), relative)).passes())
                    .as("abs %s, rel %s", passing * (1 - 1e-6), relative).isFalse();
        }
    }

    @Test
    @DisplayName("passingAbsolute passes where rounding would leave it short")
    void passingAbsoluteSurvivesRounding(NDManager manager) {
        // 1.34f - (-0.27f) rounded to float is below the double difference the tolerance check uses
        NDArray actual = manager.create(new float[] {1.34f}, new Shape(1));
        NDArray expected = manager.create(new float[] {-0.27f}, new Shape(1));

        double passing = Comparison.of(actual, expected, Tolerance.of(1e-9, 0.1)).passingAbsolute();

        assertThat(Comparison.of(actual, expected, new Tolerance(passing, 0.1)).passes()).isTrue();
    }

    @Test
    @DisplayName("counts mismatches and finds the element furthest outside the tolerance")
    void countsAndWorst(NDManager manager) {
        NDArray actual = manager.create(new float[] {1, 2.5f, 3, 14}, new Shape(2, 2));
        NDArray expected = manager.create(new float[] {1, 2, 3, 12}, new Shape(2, 2));

        Comparison comparison = Comparison.of(actual, expected, Tolerance.of(0.25, 0.1));

        // ratios: 0, 0.5 / 0.45, 0, 2 / 1.45
        assertThat(comparison.passes()).isFalse();
        assertThat(comparison.mismatched()).isEqualTo(2);
        assertThat(comparison.worst()).isEqualTo(3);
        assertThat(comparison.index(3)).containsExactly(1, 1);
        assertThat(comparison.worstRatio()).isCloseTo(2 / 1.45, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    @DisplayName("an axis profile gives the largest |Δ| and the mismatch count per index")
    void profile(NDManager manager) {
        NDArray actual = manager.create(new float[] {0, 1, 0, 0, 0.5f, 0.25f}, new Shape(2, 3));
        NDArray expected = manager.create(new float[6], new Shape(2, 3));

        Comparison.AxisProfile byColumn = Comparison.of(actual, expected, Tolerance.absolute(0.3)).profile(1);

        assertThat(byColumn.worst()).containsExactly(0, 1, 0.25);
        assertThat(byColumn.mismatched()).containsExactly(0, 2, 0);
        assertThat(byColumn.perIndex()).isEqualTo(2);
        assertThat(byColumn.diverging()).containsExactly(1);
    }

    @Test
    @DisplayName("different shapes or dtypes never pass, whatever the values")
    void shapeAndTypeNeverPass(NDManager manager) {
        NDArray x = manager.create(new float[] {1, 2}, new Shape(2));

        assertThat(Comparison.of(x, x.reshape(1, 2), Tolerance.absolute(1e30)).passes()).isFalse();
        assertThat(Comparison.of(x, x.toType(ai.djl.ndarray.types.DataType.FLOAT64, false),
                Tolerance.absolute(1e30)).passes()).isFalse();
        assertThat(Comparison.of(x, x.duplicate(), Tolerance.absolute(1e-30)).passes()).isTrue();
    }
}
