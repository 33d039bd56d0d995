package dev.dojo.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * A labelled heatmap: one cell per value, row and column index ticks and axis names, a title,
 * and a colour bar with the scale's ends and middle. Columns may be flagged (pad keys, say) with
 * an orange strip under the map, named in a legend.
 *
 * @param values        [row][column], every row as long
 * @param flaggedColumns null, or one flag per column
 * @param flagLabel     what a flagged column is ("pad key"); ignored without flags
 */
public record Heatmap(String title, float[][] values, String rowAxis, String columnAxis, ColourScale scale,
                      boolean[] flaggedColumns, String flagLabel) {

    static final Color FLAG = new Color(255, 140, 0);
    private static final Color INK = new Color(40, 40, 40);
    private static final int LEFT = 58;
    private static final int TOP = 30;
    private static final int BAR_GAP = 16;
    private static final int BAR_WIDTH = 14;

    public Heatmap {
        if (values.length == 0 || values[0].length == 0) {
            throw new IllegalArgumentException("a heatmap needs at least one row and one column");
        }
        for (float[] row : values) {
            if (row.length != values[0].length) {
                throw new IllegalArgumentException("every row of a heatmap needs " + values[0].length
                        + " columns, got one of " + row.length);
            }
        }
        if (flaggedColumns != null && flaggedColumns.length != values[0].length) {
            throw new IllegalArgumentException("flags (" + flaggedColumns.length + ") must match the columns ("
                    + values[0].length + ")");
        }
    }

    /** A heatmap without flagged columns. */
    public Heatmap(String title, float[][] values, String rowAxis, String columnAxis, ColourScale scale) {
        this(title, values, rowAxis, columnAxis, scale, null, "");
    }

    /** Cell width in pixels: about 300 pixels of map, 3 to 30 per cell. */
    public int cellWidth() {
        return clamp(Math.round(300f / values[0].length), 3, 30);
    }

    /** Cell height in pixels: about 300 pixels of map, 3 to 30 per cell. */
    public int cellHeight() {
        return clamp(Math.round(300f / values.length), 3, 30);
    }

    /** The top-left pixel of cell (row, column) in the drawn image. */
    public int[] cellOrigin(int row, int column) {
        return new int[] {LEFT + column * cellWidth(), TOP + row * cellHeight()};
    }

    /** Draws the heatmap on a new white image. */
    public BufferedImage draw() {
        int rows = values.length;
        int columns = values[0].length;
        int cw = cellWidth();
        int ch = cellHeight();
        int plotWidth = columns * cw;
        int plotHeight = rows * ch;
        int barHeight = Math.max(plotHeight, 90);
        FontMetrics text = Images.metrics(Images.TEXT);
        FontMetrics titleMetrics = Images.metrics(Images.TITLE);
        String[] barLabels = {Images.number(scale.top()), Images.number((scale.bottom() + scale.top()) / 2),
                Images.number(scale.bottom())};
        int labelWidth = 0;
        for (String l : barLabels) {
            labelWidth = Math.max(labelWidth, text.stringWidth(l));
        }
        boolean flags = flaggedColumns != null && anyFlag();
        int bottom = flags ? 56 : 40;
        int width = Math.max(LEFT + plotWidth + BAR_GAP + BAR_WIDTH + 6 + labelWidth + 8,
                titleMetrics.stringWidth(title) + 16);
        width = Math.max(width, LEFT + text.stringWidth(columnAxis) + 16);
        int height = TOP + Math.max(barHeight, plotHeight) + bottom;
        BufferedImage image = Images.canvas(width, height);
        Graphics2D g = Images.graphics(image);
        try {
            g.setColor(INK);
            g.setFont(Images.TITLE);
            g.drawString(title, 8, 19);
            g.setFont(Images.TEXT);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    g.setColor(scale.colour(values[r][c]));
                    g.fillRect(LEFT + c * cw, TOP + r * ch, cw, ch);
                }
            }
            g.setColor(INK);
            g.drawRect(LEFT - 1, TOP - 1, plotWidth + 1, plotHeight + 1);
            int rowStep = Images.tickStep(rows, ch, text.getHeight());
            for (int r = 0; r < rows; r += rowStep) {
                String label = Integer.toString(r);
                int y = TOP + r * ch + ch / 2 + text.getAscent() / 2 - 1;
                g.drawString(label, LEFT - 5 - text.stringWidth(label), y);
            }
            int columnStep = Images.tickStep(columns, cw, text.stringWidth("000") + 4);
            int tickY = TOP + plotHeight + (flags ? 8 : 2) + text.getAscent();
            for (int c = 0; c < columns; c += columnStep) {
                String label = Integer.toString(c);
                g.drawString(label, LEFT + c * cw + cw / 2 - text.stringWidth(label) / 2, tickY);
            }
            g.drawString(columnAxis, LEFT + plotWidth / 2 - text.stringWidth(columnAxis) / 2,
                    tickY + text.getHeight() + 1);
            Images.verticalText(g, rowAxis, 12, TOP + plotHeight / 2);
            if (flags) {
                g.setColor(FLAG);
                for (int c = 0; c < columns; c++) {
                    if (flaggedColumns[c]) {
                        g.fillRect(LEFT + c * cw, TOP + plotHeight + 2, cw, 5);
                    }
                }
                int legendY = height - 8;
                g.fillRect(LEFT, legendY - 8, 14, 5);
                g.setColor(INK);
                g.drawString(flagLabel, LEFT + 20, legendY);
            }
            drawColourBar(g, LEFT + plotWidth + BAR_GAP, TOP, barHeight, barLabels, text);
        } finally {
            g.dispose();
        }
        return image;
    }

    private void drawColourBar(Graphics2D g, int x, int y, int barHeight, String[] labels, FontMetrics text) {
        for (int i = 0; i < barHeight; i++) {
            double f = 1 - (double) i / (barHeight - 1);
            g.setColor(scale.colour(scale.bottom() + f * (scale.top() - scale.bottom())));
            g.fillRect(x, y + i, BAR_WIDTH, 1);
        }
        g.setColor(INK);
        g.setStroke(new BasicStroke(1));
        g.drawRect(x - 1, y - 1, BAR_WIDTH + 1, barHeight + 1);
        int[] ticks = {y, y + barHeight / 2, y + barHeight - 1};
        for (int i = 0; i < 3; i++) {
            g.drawLine(x + BAR_WIDTH, ticks[i], x + BAR_WIDTH + 3, ticks[i]);
            int baseline = ticks[i] + text.getAscent() / 2 - 1;
            baseline = Math.max(y + text.getAscent() - 2, Math.min(y + barHeight + 1, baseline));
            g.drawString(labels[i], x + BAR_WIDTH + 6, baseline);
        }
    }

    private boolean anyFlag() {
        for (boolean f : flaggedColumns) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    private static int clamp(int v, int low, int high) {
        return Math.max(low, Math.min(high, v));
    }
}
