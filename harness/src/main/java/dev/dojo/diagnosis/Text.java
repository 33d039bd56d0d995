package dev.dojo.diagnosis;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Number formats and line wrapping shared by the diagnosis reports. */
final class Text {
    /** Reports wrap at this many columns. */
    static final int WIDTH = 100;

    private Text() {}

    /** Two significant digits: plain for 1e-3 ≤ |x| < 1e4 ("1.2", "0.41"), short scientific otherwise ("2.1e-7"). */
    static String compact(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "Inf" : "-Inf";
        }
        if (x == 0) {
            return "0";
        }
        double magnitude = Math.abs(x);
        if (magnitude < 1e-3 || magnitude >= 1e4) {
            String s = String.format(Locale.ROOT, "%.1e", x);
            int e = s.indexOf('e');
            String mantissa = s.substring(0, e);
            if (mantissa.endsWith(".0")) {
                mantissa = mantissa.substring(0, mantissa.length() - 2);
            }
            return mantissa + "e" + Integer.parseInt(s.substring(e + 1));
        }
        return new BigDecimal(x).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }

    /**
     * Joins {@code items} after {@code first} with {@code separator}, starting a new line indented
     * by {@code indent} when the next item would pass {@link #WIDTH} columns. An item is never split.
     */
    static List<String> wrap(String first, List<String> items, String separator, String indent) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(first);
        boolean empty = true;
        for (String item : items) {
            String piece = empty ? item : separator + item;
            if (!empty && line.length() + piece.length() > WIDTH) {
                lines.add(line.toString().stripTrailing());
                line = new StringBuilder(indent).append(separator.stripLeading()).append(item);
            } else {
                line.append(piece);
            }
            empty = false;
        }
        lines.add(line.toString().stripTrailing());
        return lines;
    }

    /** Word-wraps {@code text} after {@code first}; continuation lines start with {@code indent}. */
    static List<String> words(String first, String text, String indent) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(first);
        int start = first.length();
        for (String word : text.split(" ")) {
            if (line.length() > start && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(indent);
                start = indent.length();
            }
            line.append(line.length() > start ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
