package dev.dojo.compare;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * How close is close: |actual - expected| ≤ absolute + relative · |expected|, the rule of
 * {@code torch.testing.assert_close} and {@code torch.allclose}. NaN and Inf are never close.
 */
public record Tolerance(double absolute, double relative) {

    public Tolerance {
        if (!(absolute >= 0) || !(relative >= 0)) {
            throw new IllegalArgumentException("tolerances must be non-negative, got abs " + absolute + ", rel " + relative);
        }
        if (absolute == 0 && relative == 0) {
            throw new IllegalArgumentException("a tolerance of zero compares float bits; give abs or rel");
        }
    }

    /** Within {@code absolute}, whatever the magnitude. */
    public static Tolerance absolute(double absolute) {
        return new Tolerance(absolute, 0);
    }

    /** Within {@code absolute} + {@code relative} · |expected|. */
    public static Tolerance of(double absolute, double relative) {
        return new Tolerance(absolute, relative);
    }

    /** The allowed difference at an expected value. */
    public double allowed(double expected) {
        return absolute + relative * Math.abs(expected);
    }

    /** |Δ| over the allowed difference: at most 1 is close, 100 is a hundred times the tolerance. */
    public double ratio(double actual, double expected) {
        if (!Double.isFinite(actual) || !Double.isFinite(expected)) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.abs(actual - expected) / allowed(expected);
    }

    @Override
    public String toString() {
        return relative == 0 ? "abs " + scientific(absolute) : "abs " + scientific(absolute) + ", rel " + scientific(relative);
    }

    /** The value as written: 1e-5, 2.5e-4 (up to six significant digits, never rounded to one). */
    static String scientific(double value) {
        return ComparisonReport.scientific(new BigDecimal(value).round(new MathContext(6)));
    }
}
