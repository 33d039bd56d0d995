package dev.dojo.compare;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text a failed comparison shows: what diverges from what, then shape, dtype, NaN/Inf,
 * mismatch count, the worst element, the tolerance that would pass, and where along each named
 * axis the divergence sits.
 */
public final class ComparisonReport {
    private static final String BARS = "▁▂▃▄▅▆▇█";
    private static final String MATCH = "·";

    private ComparisonReport() {}

    /**
     * Renders {@code c}. {@code subject} names the actual tensor ("Block output"), {@code reference}
     * the expected one ("the PyTorch reference"), {@code axes} the axes (missing names become dim0, dim1, …).
     */
    public static String render(Comparison c, String subject, String reference, List<String> axes, Long seed) {
        List<String> names = axisNames(axes, c.actualShape().dimension());
        StringBuilder out = new StringBuilder();
        if (!c.sameShape()) {
            out.append(subject).append(" has shape ").append(c.actualShape()).append(" but ").append(reference)
                    .append(" has shape ").append(c.expectedShape()).append(" (").append(shapeDifference(c, names))
                    .append(')');
        } else if (!c.sameType()) {
            out.append(subject).append(" has dtype ").append(c.actualType()).append(" but ").append(reference)
                    .append(" has dtype ").append(c.expectedType());
        } else if (c.actualNonFinite().any()) {
            Comparison.NonFinite n = c.actualNonFinite();
            out.append(subject).append(" is not finite: ").append(n.nans()).append(" NaN and ").append(n.infinities())
                    .append(" Inf in ").append(c.size()).append(" values, the first at ")
                    .append(at(c, n.first(), names)).append(" (NaN and Inf are never close)");
        } else if (c.expectedNonFinite().any()) {
            Comparison.NonFinite n = c.expectedNonFinite();
            out.append(reference).append(" is not finite: ").append(n.nans()).append(" NaN and ").append(n.infinities())
                    .append(" Inf, the first at ").append(at(c, n.first(), names))
                    .append(" (a reference must be finite to compare against)");
        } else {
            values(c, subject, reference, names, out);
        }
        if (seed != null) {
            out.append("\n  seed: ").append(seed).append(" (reruns this exact case)");
        }
        return out.toString();
    }

    private static void values(Comparison c, String subject, String reference, List<String> names, StringBuilder out) {
        int worst = c.neediest();
        double actual = c.actual()[worst];
        double expected = c.expected()[worst];
        out.append(subject).append(" diverges from ").append(reference).append('\n');
        out.append(String.format(Locale.ROOT, "  mismatched: %d / %d (%.1f%%)   tolerance: %s\n", c.mismatched(),
                c.size(), 100.0 * c.mismatched() / c.size(), c.tolerance()));
        out.append("  worst: |Δ| = ").append(number(Math.abs(actual - expected))).append(" at ").append(at(c, worst, names))
                .append(" (actual ").append(number(actual)).append(", expected ").append(number(expected))
                .append(", rel ").append(number(Math.abs(actual - expected) / Math.abs(expected))).append(")\n");
        out.append("  would pass with: abs ").append(number(c.passingAbsolute(), RoundingMode.CEILING));
        if (c.tolerance().relative() > 0) {
            out.append(", rel ").append(Tolerance.scientific(c.tolerance().relative()));
        }
        List<Integer> localized = new ArrayList<>();
        for (int axis = 0; axis < names.size() - 1; axis++) {
            if (c.actualShape().get(axis) > 1) {                  // one index tells nothing about where
                localized.add(axis);
            }
        }
        int width = 0;
        for (int axis : localized) {
            width = Math.max(width, names.get(axis).length());
        }
        for (int axis : localized) {
            Comparison.AxisProfile profile = c.profile(axis);
            out.append("\n  by ").append(pad(names.get(axis) + ":", width + 1)).append(' ')
                    .append(sparkline(profile)).append("  ").append(summary(names.get(axis), profile));
        }
    }

    /** One character per index: {@value #MATCH} within tolerance, else a bar scaled to the largest |Δ|. */
    public static String sparkline(Comparison.AxisProfile profile) {
        double max = 0;
        for (double w : profile.worst()) {
            max = Math.max(max, w);
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < profile.worst().length; i++) {
            if (profile.mismatched()[i] == 0) {
                line.append(MATCH);
            } else {
                int level = (int) Math.ceil(profile.worst()[i] / max * BARS.length()) - 1;
                line.append(BARS.charAt(Math.max(0, Math.min(BARS.length() - 1, level))));
            }
        }
        return line.toString();
    }

    static String summary(String axis, Comparison.AxisProfile profile) {
        List<Integer> diverging = profile.diverging();
        int n = profile.worst().length;
        if (diverging.isEmpty()) {
            return "all match";
        }
        if (isPositionAxis(axis)) {
            StringBuilder s = new StringBuilder();
            int first = diverging.get(0);
            s.append(diverging.size() == n ? all(axis, profile)
                    : diverging.size() == n - first ? "matches before " + axis + " " + first + ", diverges from "
                            + axis + " " + first
                    : scattered(axis, diverging, n));
            String trend = trend(profile, diverging);
            if (!trend.isEmpty()) {
                s.append("; error ").append(trend).append(" with ").append(axis);
            }
            return s.toString();
        }
        if (diverging.size() == n) {
            return all(axis, profile);
        }
        return scattered(axis, diverging, n);
    }

    /** "diverges at batch 1, 3; matches at 0, 2". */
    private static String scattered(String axis, List<Integer> diverging, int n) {
        List<Integer> matching = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!diverging.contains(i)) {
                matching.add(i);
            }
        }
        return "diverges at " + axis + " " + list(diverging) + "; matches at " + list(matching);
    }

    /** When every index diverges: "all N alike" when the largest |Δ| varies at most twofold, else where it peaks. */
    private static String all(String axis, Comparison.AxisProfile profile) {
        int n = profile.worst().length;
        double low = Double.MAX_VALUE;
        double high = 0;
        for (double w : profile.worst()) {
            low = Math.min(low, w);
            high = Math.max(high, w);
        }
        return high <= 2 * low ? "all " + n + " alike" : "all " + n + " diverge, most at " + axis + " " + argmax(profile.worst());
    }

    private static boolean isPositionAxis(String axis) {
        return axis.equals("pos") || axis.equals("position") || axis.equals("token") || axis.equals("query");
    }

    /**
     * "grows" or "shrinks" when the largest |Δ| follows the index closely (Pearson |r| ≥ 0.9) and
     * changes at least twofold along it, else "": noise on a short, flat profile can correlate by chance.
     */
    private static String trend(Comparison.AxisProfile profile, List<Integer> diverging) {
        if (diverging.size() < 3) {
            return "";
        }
        double low = Double.MAX_VALUE;
        double high = 0;
        for (int i : diverging) {
            low = Math.min(low, profile.worst()[i]);
            high = Math.max(high, profile.worst()[i]);
        }
        if (high < 2 * low) {
            return "";
        }
        double mx = 0;
        double my = 0;
        for (int i : diverging) {
            mx += i;
            my += profile.worst()[i];
        }
        mx /= diverging.size();
        my /= diverging.size();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i : diverging) {
            double dx = i - mx;
            double dy = profile.worst()[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return "";
        }
        double r = sxy / Math.sqrt(sxx * syy);
        return r >= 0.9 ? "grows" : r <= -0.9 ? "shrinks" : "";
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            best = values[i] > values[best] ? i : best;
        }
        return best;
    }

    private static String list(List<Integer> indices) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < indices.size(); i++) {
            if (i == 8) {
                return s.append(", … (").append(indices.size()).append(")").toString();
            }
            s.append(i == 0 ? "" : ", ").append(indices.get(i));
        }
        return s.toString();
    }

    private static String at(Comparison c, int flat, List<String> names) {
        long[] index = c.index(flat);
        StringBuilder s = new StringBuilder("[");
        for (int axis = 0; axis < index.length; axis++) {
            s.append(axis == 0 ? "" : ", ").append(names.get(axis)).append(' ').append(index[axis]);
        }
        return s.append(']').toString();
    }

    /** "pos: 5 vs 6" for each axis whose length differs, or "rank 2 vs 3". */
    private static String shapeDifference(Comparison c, List<String> names) {
        if (c.actualShape().dimension() != c.expectedShape().dimension()) {
            return "rank " + c.actualShape().dimension() + " vs " + c.expectedShape().dimension();
        }
        StringBuilder s = new StringBuilder();
        for (int axis = 0; axis < names.size(); axis++) {
            if (c.actualShape().get(axis) != c.expectedShape().get(axis)) {
                s.append(s.length() == 0 ? "" : ", ").append(names.get(axis)).append(": ")
                        .append(c.actualShape().get(axis)).append(" vs ").append(c.expectedShape().get(axis));
            }
        }
        return s.toString();
    }

    static List<String> axisNames(List<String> axes, int rank) {
        List<String> names = new ArrayList<>();
        for (int axis = 0; axis < rank; axis++) {
            names.add(axes != null && axis < axes.size() ? axes.get(axis) : "dim" + axis);
        }
        return names;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** Three significant digits, plain for 1e-3 ≤ |x| < 1e4, scientific ("2.5e-5") otherwise: the dojo's one number format. */
    public static String number(double x) {
        return number(x, RoundingMode.HALF_EVEN);
    }

    /** As {@link #number(double)}, rounding the third digit with {@code rounding}. */
    static String number(double x, RoundingMode rounding) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "∞" : "-∞";
        }
        BigDecimal rounded = new BigDecimal(x).round(new MathContext(3, rounding));
        double magnitude = Math.abs(rounded.doubleValue());
        if (magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e4)) {
            return scientific(rounded);
        }
        return rounded.stripTrailingZeros().toPlainString();
    }

    /** Mantissa without trailing zeros and an unpadded exponent: 1e-5, 2.5e-5, 1.23e4. */
    static String scientific(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = value.stripTrailingZeros();
        int exponent = stripped.precision() - stripped.scale() - 1;
        return stripped.movePointLeft(exponent).toPlainString() + "e" + exponent;
    }
}
