package dev.dojo.report;

import java.awt.Color;

/**
 * How a heatmap turns values into colours: attention weights in viridis, signed values from blue
 * through white to red, and differences from a tolerance on: a difference within the tolerance is
 * a blank (white) cell, as the terminal heatmap leaves it blank, and the colour starts at the
 * tolerance, so float noise is never stretched to full colour. NaN and Inf are magenta, a colour
 * no scale uses.
 *
 * @param low  where the colours start: the first colour of {@link Kind#WEIGHTS} and {@link Kind#SIGNED},
 *             the tolerance of {@link Kind#MAGNITUDE} and {@link Kind#SIGNED_DIFFERENCE}
 * @param high where the colours end: the last colour, at ±high for {@link Kind#SIGNED_DIFFERENCE}
 */
public record ColourScale(Kind kind, double low, double high) {

    public enum Kind {
        /** Viridis from low to high. */
        WEIGHTS,
        /** |Δ|: blank up to low, then light to dark red, dark at high. */
        MAGNITUDE,
        /** Blue at low, white halfway, red at high. */
        SIGNED,
        /** Δ: blank within ±low, then light to dark red above (blue below), dark at ±high. */
        SIGNED_DIFFERENCE
    }

    /** The colour of a non-finite value. */
    public static final Color NON_FINITE = new Color(255, 0, 255);
    /** The colour of a difference within tolerance: the page's background. */
    public static final Color BLANK = Color.WHITE;

    private static final int[][] VIRIDIS = {
            {68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141},
            {39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37}};
    private static final int[][] REDS = {
            {254, 224, 210}, {252, 146, 114}, {222, 45, 38}, {103, 0, 13}};
    private static final int[][] BLUES = {
            {209, 229, 240}, {103, 169, 207}, {33, 102, 172}};
    private static final int[][] BLUE_WHITE_RED = {
            {33, 102, 172}, {103, 169, 207}, {209, 229, 240}, {247, 247, 247}, {253, 219, 199},
            {239, 138, 98}, {178, 24, 43}};
    private static final int[][] WARM = {
            {253, 219, 199}, {239, 138, 98}, {178, 24, 43}};

    public ColourScale {
        if (!(low < high)) {
            throw new IllegalArgumentException("a colour scale needs low < high, got [" + low + ", " + high + "]");
        }
        if ((kind == Kind.MAGNITUDE || kind == Kind.SIGNED_DIFFERENCE) && !(low >= 0)) {
            throw new IllegalArgumentException("a difference scale starts at a tolerance of at least 0, got " + low);
        }
    }

    /** Viridis from 0 to {@code max} (or to 1 when max is not positive). */
    public static ColourScale weights(double max) {
        return new ColourScale(Kind.WEIGHTS, 0, positive(max));
    }

    /** |Δ| from 0: blank at 0, light red just above it, dark red at {@code max} (or at 1 when max is not positive). */
    public static ColourScale magnitude(double max) {
        return magnitude(0, max);
    }

    /**
     * |Δ| from {@code tolerance}: blank up to it, light red just beyond it, dark red at {@code max}
     * (at twice the tolerance, or 1, when nothing is beyond it).
     */
    public static ColourScale magnitude(double tolerance, double max) {
        return new ColourScale(Kind.MAGNITUDE, tolerance, beyond(tolerance, max));
    }

    /** Blue at -{@code maxAbs}, white at 0, red at +{@code maxAbs}. */
    public static ColourScale signed(double maxAbs) {
        double m = positive(maxAbs);
        return new ColourScale(Kind.SIGNED, -m, m);
    }

    /**
     * Δ from ±{@code tolerance}: blank within it, light red just above it and light blue just
     * below, dark at ±{@code maxAbs} (at twice the tolerance, or 1, when nothing is beyond it).
     */
    public static ColourScale signedDifference(double tolerance, double maxAbs) {
        return new ColourScale(Kind.SIGNED_DIFFERENCE, tolerance, beyond(tolerance, maxAbs));
    }

    /** The value at the bottom of a colour bar. */
    public double bottom() {
        return kind == Kind.SIGNED_DIFFERENCE ? -high : low;
    }

    /** The value at the top of a colour bar. */
    public double top() {
        return high;
    }

    /** The colour of {@code value}; values beyond the ends take the nearest end's colour. */
    public Color colour(double value) {
        if (!Double.isFinite(value)) {
            return NON_FINITE;
        }
        return switch (kind) {
            case WEIGHTS -> interpolate(VIRIDIS, (value - low) / (high - low));
            case SIGNED -> interpolate(BLUE_WHITE_RED, (value - low) / (high - low));
            case MAGNITUDE -> value <= low ? BLANK : interpolate(REDS, (value - low) / (high - low));
            case SIGNED_DIFFERENCE -> Math.abs(value) <= low ? BLANK
                    : interpolate(value > 0 ? WARM : BLUES, (Math.abs(value) - low) / (high - low));
        };
    }

    private static Color interpolate(int[][] stops, double fraction) {
        double f = Math.max(0, Math.min(1, fraction));
        double at = f * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) Math.floor(at));
        double u = at - i;
        return new Color(mix(stops[i][0], stops[i + 1][0], u), mix(stops[i][1], stops[i + 1][1], u),
                mix(stops[i][2], stops[i + 1][2], u));
    }

    private static int mix(int a, int b, double u) {
        return (int) Math.round(a + (b - a) * u);
    }

    private static double positive(double max) {
        return max > 0 && Double.isFinite(max) ? max : 1;
    }

    /** {@code max} when it is beyond {@code tolerance}, else twice the tolerance (or 1 for a zero tolerance). */
    private static double beyond(double tolerance, double max) {
        if (max > tolerance && Double.isFinite(max)) {
            return max;
        }
        return tolerance > 0 ? 2 * tolerance : 1;
    }
}
