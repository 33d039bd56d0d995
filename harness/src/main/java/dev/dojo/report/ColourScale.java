package dev.dojo.report;

import java.awt.Color;

/**
 * How a heatmap turns values into colours, over [low, high]: attention weights in viridis,
 * magnitudes such as |Δ| from white to dark red, signed values from blue through white to red.
 * NaN and Inf are magenta, a colour no scale uses.
 */
public record ColourScale(Kind kind, double low, double high) {

    public enum Kind { WEIGHTS, MAGNITUDE, SIGNED }

    /** The colour of a non-finite value. */
    public static final Color NON_FINITE = new Color(255, 0, 255);

    private static final int[][] VIRIDIS = {
            {68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141},
            {39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37}};
    private static final int[][] REDS = {
            {255, 255, 255}, {254, 224, 210}, {252, 146, 114}, {222, 45, 38}, {103, 0, 13}};
    private static final int[][] BLUE_WHITE_RED = {
            {33, 102, 172}, {103, 169, 207}, {209, 229, 240}, {247, 247, 247}, {253, 219, 199},
            {239, 138, 98}, {178, 24, 43}};

    public ColourScale {
        if (!(low < high)) {
            throw new IllegalArgumentException("a colour scale needs low < high, got [" + low + ", " + high + "]");
        }
    }

    /** Viridis from 0 to {@code max} (or to 1 when max is not positive). */
    public static ColourScale weights(double max) {
        return new ColourScale(Kind.WEIGHTS, 0, positive(max));
    }

    /** White at 0 to dark red at {@code max} (or at 1 when max is not positive). */
    public static ColourScale magnitude(double max) {
        return new ColourScale(Kind.MAGNITUDE, 0, positive(max));
    }

    /** Blue at -{@code maxAbs}, white at 0, red at +{@code maxAbs}. */
    public static ColourScale signed(double maxAbs) {
        double m = positive(maxAbs);
        return new ColourScale(Kind.SIGNED, -m, m);
    }

    /** The colour of {@code value}; values outside [low, high] take the nearest end's colour. */
    public Color colour(double value) {
        if (!Double.isFinite(value)) {
            return NON_FINITE;
        }
        double f = Math.max(0, Math.min(1, (value - low) / (high - low)));
        int[][] stops = switch (kind) {
            case WEIGHTS -> VIRIDIS;
            case MAGNITUDE -> REDS;
            case SIGNED -> BLUE_WHITE_RED;
        };
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
}
