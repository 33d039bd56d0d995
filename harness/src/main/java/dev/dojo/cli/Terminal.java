package dev.dojo.cli;

import java.io.PrintStream;

/** Where output goes, and whether it may be coloured: never when NO_COLOR is set or output is not a terminal. */
record Terminal(PrintStream out, PrintStream err, boolean colour) {

    /** The process's own streams, coloured only on an interactive terminal without NO_COLOR. */
    static Terminal system() {
        String noColor = System.getenv("NO_COLOR");
        String term = System.getenv("TERM");
        boolean colour = System.console() != null && (noColor == null || noColor.isEmpty())
                && term != null && !term.equals("dumb");
        return new Terminal(System.out, System.err, colour);
    }

    String red(String s) {
        return paint("31", s);
    }

    String green(String s) {
        return paint("32", s);
    }

    String yellow(String s) {
        return paint("33", s);
    }

    String cyan(String s) {
        return paint("36", s);
    }

    String bold(String s) {
        return paint("1", s);
    }

    String dim(String s) {
        return paint("2", s);
    }

    /**
     * {@code text} safe to print: every control character (C0, DEL, C1), and the Unicode line
     * separators and bidirectional overrides that can reorder or hide what a terminal shows, is
     * written visibly instead ({@code \e} for ESC, {@code \n}, {@code \r}, {@code \t}, else
     * {@code \xNN}, or a Unicode escape above U+00FF), so input echoed in a message can never move the cursor,
     * clear the screen, ring the bell or set the title. Everything else, backslashes included, is kept.
     */
    static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = escape(c);
            if (escape == null) {
                s.append(c);
            } else {
                s.append(escape);
            }
        }
        return s.toString();
    }

    private static String escape(char c) {
        return switch (c) {
            case '\u001b' -> "\\e";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? String.format("\\x%02x", (int) c)
                    : c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                    ? String.format("\\u%04x", (int) c) : null;
        };
    }

    private String paint(String code, String s) {
        return colour ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
