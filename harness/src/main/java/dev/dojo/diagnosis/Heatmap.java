package dev.dojo.diagnosis;

import dev.dojo.compare.Comparison;

import java.util.ArrayList;
import java.util.List;

/**
 * A terminal heatmap of |Δ| over two axes of a comparison, the largest |Δ| over the others:
 * query × key for attention weights, position × channel otherwise. A cell whose values are all
 * within tolerance is blank; the others take one of four shades, scaled to the largest |Δ|.
 */
public final class Heatmap {
    /** Wider or taller maps put several indices in one cell. */
    static final int MAX_COLUMNS = 64;
    static final int MAX_ROWS = 24;
    private static final int TICK = 8;

    private Heatmap() {}

    /**
     * The map's lines, each starting with two spaces, or "" when there is nothing to draw: fewer than
     * two axes, a shape or dtype mismatch, non-finite values, or no value beyond tolerance.
     */
    public static String render(Comparison c, List<String> axes, Style style) {
        int rank = c.actualShape().dimension();
        if (rank < 2 || !c.sameShape() || !c.sameType() || c.actualNonFinite().any()
                || c.expectedNonFinite().any() || c.mismatched() == 0) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (int axis = 0; axis < rank; axis++) {
            names.add(axes != null && axis < axes.size() ? axes.get(axis) : "dim" + axis);
        }
        int rowAxis;
        int columnAxis;
        if (names.contains("query") && names.contains("key")) {
            rowAxis = names.indexOf("query");
            columnAxis = names.indexOf("key");
        } else {
            columnAxis = rank - 1;
            rowAxis = rank - 2;
            for (int axis = 0; axis < rank - 1; axis++) {
                String n = names.get(axis);
                if (n.equals("pos") || n.equals("position") || n.equals("token") || n.equals("query")) {
                    rowAxis = axis;
                    break;
                }
            }
        }
        int rows = Math.toIntExact(c.actualShape().get(rowAxis));
        int columns = Math.toIntExact(c.actualShape().get(columnAxis));
        int rowsPerCell = (rows + MAX_ROWS - 1) / MAX_ROWS;
        int columnsPerCell = (columns + MAX_COLUMNS - 1) / MAX_COLUMNS;
        int height = (rows + rowsPerCell - 1) / rowsPerCell;
        int width = (columns + columnsPerCell - 1) / columnsPerCell;
        double[][] worst = new double[height][width];
        boolean[][] beyond = new boolean[height][width];
        double max = 0;
        for (int i = 0; i < c.actual().length; i++) {
            long[] at = c.index(i);
            int r = Math.toIntExact(at[rowAxis]) / rowsPerCell;
            int k = Math.toIntExact(at[columnAxis]) / columnsPerCell;
            double d = Math.abs(c.actual()[i] - c.expected()[i]);
            worst[r][k] = Math.max(worst[r][k], d);
            beyond[r][k] |= c.tolerance().ratio(c.actual()[i], c.expected()[i]) > 1;
            max = Math.max(max, d);
        }

        String shades = style.shades();
        int levels = shades.length() - 1;
        List<String> reduced = new ArrayList<>();
        for (int axis = 0; axis < rank; axis++) {
            if (axis != rowAxis && axis != columnAxis) {
                reduced.add(names.get(axis));
            }
        }
        List<String> notes = new ArrayList<>();
        if (!reduced.isEmpty()) {
            notes.add("max over " + String.join(", ", reduced));
        }
        if (rowsPerCell > 1) {
            notes.add(rowsPerCell + " " + names.get(rowAxis) + " per row");
        }
        if (columnsPerCell > 1) {
            notes.add(columnsPerCell + " " + names.get(columnAxis) + " per column");
        }
        StringBuilder out = new StringBuilder("  |").append(style.delta()).append("| by ").append(names.get(rowAxis))
                .append(" (rows) ").append(style.times()).append(' ').append(names.get(columnAxis))
                .append(" (columns)");
        for (String note : notes) {
            out.append(", ").append(note);
        }
        out.append("; blank: within tolerance\n");

        int labelWidth = String.valueOf((height - 1) * rowsPerCell).length();
        char[] ruler = new char[width];
        java.util.Arrays.fill(ruler, ' ');
        for (int k = 0; k < width; k += TICK) {
            String label = String.valueOf(k * columnsPerCell);
            if (k + label.length() <= width) {
                label.getChars(0, label.length(), ruler, k);
            }
        }
        out.append("  ").append(" ".repeat(labelWidth + 1 + style.frame().length()))
                .append(new String(ruler).stripTrailing()).append('\n');
        for (int r = 0; r < height; r++) {
            out.append("  ").append(Text.padLeft(String.valueOf(r * rowsPerCell), labelWidth)).append(' ')
                    .append(style.frame());
            for (int k = 0; k < width; k++) {
                int level = 0;
                if (beyond[r][k]) {
                    level = Math.max(1, Math.min(levels, (int) Math.ceil(worst[r][k] / max * levels)));
                }
                out.append(shades.charAt(level));
            }
            out.append(style.frame()).append('\n');
        }
        out.append("  scale:");
        for (int level = 1; level <= levels; level++) {
            out.append(level == 1 ? " " : "  ").append(shades.charAt(level)).append(' ').append(style.atMost()).append(' ')
                    .append(Text.compact(max * level / levels));
        }
        return out.toString();
    }
}
