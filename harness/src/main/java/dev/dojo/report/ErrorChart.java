package dev.dojo.report;

import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * A bar chart of the largest |Δ| at each index of one axis, on a log scale so that a match
 * (|Δ| near 1e-7) and a divergence (near 1) both show: red bars hold mismatched elements, green
 * bars none ("beyond" and "within" in the legend), magenta bars NaN or Inf; a dashed line marks
 * the absolute tolerance.
 */
public final class ErrorChart {
    static final Color BEYOND = new Color(214, 96, 77);
    static final Color WITHIN = new Color(120, 180, 120);
    private static final Color INK = new Color(40, 40, 40);
    private static final Color GRID = new Color(225, 225, 225);
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 34;
    private static final int BOTTOM = 44;
    private static final BasicStroke DASHED =
            new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0);

    private ErrorChart() {}

    /** The chart of {@code profile} along the axis named {@code axis}, {@code width} × {@code height} pixels. */
    public static BufferedImage draw(Comparison.AxisProfile profile, String axis, Tolerance tolerance, int width,
                                     int height) {
        double[] worst = profile.worst();
        int n = worst.length;
        if (n == 0) {
            throw new IllegalArgumentException("axis '" + axis + "' has no indices to chart");
        }
        double smallest = Double.POSITIVE_INFINITY;
        double largest = 0;
        for (double w : worst) {
            if (Double.isFinite(w) && w > 0) {
                smallest = Math.min(smallest, w);
                largest = Math.max(largest, w);
            }
        }
        double floor = Math.min(Double.isFinite(smallest) ? smallest : tolerance.absolute(),
                Math.max(tolerance.absolute(), 1e-12) / 10);
        int lowDecade = (int) Math.floor(Math.log10(Math.max(floor, 1e-12)));
        int highDecade = (int) Math.ceil(Math.log10(Math.max(largest, Math.max(tolerance.absolute(), 1e-12))));
        highDecade = Math.max(highDecade, lowDecade + 1);

        BufferedImage image = Images.canvas(width, height);
        Graphics2D g = Images.graphics(image);
        try {
            FontMetrics text = g.getFontMetrics(Images.TEXT);
            int plotWidth = width - LEFT - RIGHT;
            int plotHeight = height - TOP - BOTTOM;
            int baseY = TOP + plotHeight;
            g.setFont(Images.TITLE);
            g.setColor(INK);
            g.drawString("max |Δ| by " + axis, 8, 18);
            g.setFont(Images.TEXT);
            boolean nonFinite = false;
            for (double w : worst) {
                nonFinite |= !Double.isFinite(w);
            }
            legend(g, text, width, "abs tol " + Images.number(tolerance.absolute()), nonFinite);
            int decadeStep = Images.tickStep(highDecade - lowDecade + 1,
                    (double) plotHeight / (highDecade - lowDecade), text.getHeight() + 2);
            for (int d = lowDecade; d <= highDecade; d += decadeStep) {
                int y = y(Math.pow(10, d), lowDecade, highDecade, plotHeight);
                g.setColor(GRID);
                g.drawLine(LEFT, y, LEFT + plotWidth, y);
                g.setColor(INK);
                String label = "1e" + d;
                g.drawString(label, LEFT - 6 - text.stringWidth(label), y + text.getAscent() / 2 - 1);
            }
            double slot = (double) plotWidth / n;
            int barWidth = Math.max(1, (int) Math.round(slot * 0.75));
            for (int i = 0; i < n; i++) {
                int x = LEFT + (int) Math.round(i * slot + (slot - barWidth) / 2);
                double w = worst[i];
                int top;
                if (!Double.isFinite(w)) {
                    g.setColor(ColourScale.NON_FINITE);
                    top = TOP;
                } else {
                    g.setColor(profile.mismatched()[i] > 0 ? BEYOND : WITHIN);
                    top = w > 0 ? y(w, lowDecade, highDecade, plotHeight) : baseY - 2;
                }
                g.fillRect(x, top, barWidth, Math.max(2, baseY - top));
            }
            int toleranceY = y(tolerance.absolute(), lowDecade, highDecade, plotHeight);
            g.setColor(INK);
            g.setStroke(DASHED);
            g.drawLine(LEFT, toleranceY, LEFT + plotWidth, toleranceY);
            g.setStroke(new BasicStroke(1));
            g.drawLine(LEFT, TOP, LEFT, baseY);
            g.drawLine(LEFT, baseY, LEFT + plotWidth, baseY);
            int step = Images.tickStep(n, slot, text.stringWidth("000") + 4);
            for (int i = 0; i < n; i += step) {
                String label = Integer.toString(i);
                int x = LEFT + (int) Math.round(i * slot + slot / 2);
                g.drawLine(x, baseY, x, baseY + 3);
                g.drawString(label, x - text.stringWidth(label) / 2, baseY + 4 + text.getAscent());
            }
            g.drawString(axis, LEFT + plotWidth / 2 - text.stringWidth(axis) / 2, height - 8);
            Images.verticalText(g, "max |Δ|", 12, TOP + plotHeight / 2);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Right-aligned on the title line: the bar colours, NaN/Inf if any, and the dashed tolerance line. */
    private static void legend(Graphics2D g, FontMetrics text, int width, String tolerance, boolean nonFinite) {
        int x = width - RIGHT - text.stringWidth(tolerance);
        g.setColor(INK);
        g.drawString(tolerance, x, 18);
        x -= 24;
        g.setStroke(DASHED);
        g.drawLine(x, 14, x + 20, 14);
        g.setStroke(new BasicStroke(1));
        x -= 10;
        String[] labels = nonFinite ? new String[] {"beyond", "within", "NaN/Inf"} : new String[] {"beyond", "within"};
        Color[] colours = {BEYOND, WITHIN, ColourScale.NON_FINITE};
        for (int i = labels.length - 1; i >= 0; i--) {
            x -= text.stringWidth(labels[i]);
            g.setColor(INK);
            g.drawString(labels[i], x, 18);
            x -= 14;
            g.setColor(colours[i]);
            g.fillRect(x, 9, 10, 10);
            x -= 12;
        }
    }

    private static int y(double value, int lowDecade, int highDecade, int plotHeight) {
        double f = (Math.log10(value) - lowDecade) / (highDecade - lowDecade);
        f = Math.max(0, Math.min(1, f));
        return TOP + (int) Math.round((1 - f) * plotHeight);
    }
}
