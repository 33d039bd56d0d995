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

    private String paint(String code, String s) {
        return colour ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
