package dev.dojo.compare;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** |actual - expected| ≤ abs + rel · |expected|, and how a tolerance reads in a report. */
class ToleranceTest {

    @Test
    @DisplayName("rejects a negative or NaN tolerance, naming the values")
    void rejectsNegative() {
        assertThatIllegalArgumentException().isThrownBy(() -> Tolerance.absolute(-1e-5))
                .withMessage("tolerances must be non-negative, got abs -1.0E-5, rel 0.0");
        assertThatIllegalArgumentException().isThrownBy(() -> Tolerance.of(1e-5, -1e-4))
                .withMessage("tolerances must be non-negative, got abs 1.0E-5, rel -1.0E-4");
        assertThatIllegalArgumentException().isThrownBy(() -> Tolerance.absolute(Double.NaN))
                .withMessage("tolerances must be non-negative, got abs NaN, rel 0.0");
    }

    @Test
    @DisplayName("rejects a zero tolerance, which would compare float bits")
    void rejectsZero() {
        assertThatIllegalArgumentException().isThrownBy(() -> Tolerance.of(0, 0))
                .withMessage("a tolerance of zero compares float bits; give abs or rel");
    }

    @Test
    @DisplayName("allowed difference is abs + rel · |expected|")
    void allowed() {
        Tolerance tolerance = Tolerance.of(0.5, 0.25);

        assertThat(tolerance.allowed(0)).isEqualTo(0.5);
        assertThat(tolerance.allowed(-2)).isEqualTo(1.0);
        assertThat(tolerance.allowed(4)).isEqualTo(1.5);
    }

    @Test
    @DisplayName("ratio is |Δ| over the allowed difference: 1 at the boundary, above 1 outside")
    void ratio() {
        Tolerance tolerance = Tolerance.of(0.5, 0.25);

        assertThat(tolerance.ratio(-1, -2)).isEqualTo(1.0);
        assertThat(tolerance.ratio(1.5, -2)).isEqualTo(3.5);
        assertThat(tolerance.ratio(4, 4)).isZero();
        assertThat(tolerance.ratio(4.75, 4)).isEqualTo(0.5);
    }

    @Test
    @DisplayName("ratio is infinite wherever actual or expected is NaN or Inf, even when both are the same")
    void ratioOfNonFinite() {
        Tolerance tolerance = Tolerance.absolute(1e30);

        assertThat(tolerance.ratio(Double.NaN, 1)).isInfinite();
        assertThat(tolerance.ratio(1, Double.NaN)).isInfinite();
        assertThat(tolerance.ratio(Double.NaN, Double.NaN)).isInfinite();
        assertThat(tolerance.ratio(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY)).isInfinite();
        assertThat(tolerance.ratio(Double.NEGATIVE_INFINITY, 0)).isInfinite();
    }

    @Test
    @DisplayName("reads as abs and rel in short scientific notation, without rounding the value away")
    void readsAsWritten() {
        assertThat(Tolerance.absolute(1e-5)).hasToString("abs 1e-5");
        assertThat(Tolerance.of(1e-5, 1e-4)).hasToString("abs 1e-5, rel 1e-4");
        assertThat(Tolerance.absolute(2.5e-4)).hasToString("abs 2.5e-4");
        assertThat(Tolerance.of(0, 1.3e-6)).hasToString("abs 0, rel 1.3e-6");
        assertThat(Tolerance.absolute(0.5)).hasToString("abs 5e-1");
    }
}
