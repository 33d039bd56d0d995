package dev.dojo.drills;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a Java source to plant a bug in it: its lines, its code with comments and string
 * contents blanked out (so a brace in a string or a type named in a comment does not count), and
 * where a method's body sits. Not a parser: it reads the one-class, one-declaration-per-line
 * files of the reference parts and the variants, and says so when a file is not like them.
 */
final class JavaSource {
    private static final Pattern IMPORT = Pattern.compile("^import\\s+([\\w.]+)\\s*;\\s*$");

    /** A method's body: the lines strictly between {@code open} (the line of its '{') and {@code close} (of its '}'). */
    record Body(String method, int declaration, int open, int close) {
        /** The number of lines of the body. */
        int size() {
            return close - open - 1;
        }
    }

    private final String name;
    private final List<String> lines;
    private final List<String> code;

    JavaSource(String name, String text) {
        this.name = name;
        this.lines = List.of(text.split("\n", -1));
        this.code = List.of(blank(text).split("\n", -1));
    }

    List<String> lines() {
        return lines;
    }

    /** The text with every comment and the contents of every string and character literal replaced by spaces. */
    String code() {
        return String.join("\n", code);
    }

    /** The imported names, in file order. */
    List<String> imports() {
        List<String> imports = new ArrayList<>();
        for (String line : lines) {
            Matcher m = IMPORT.matcher(line);
            if (m.matches()) {
                imports.add(m.group(1));
            }
        }
        return imports;
    }

    /**
     * The body of the one method called {@code method} declared in the top-level class; an error when
     * there is none, more than one, or its braces do not sit at the end and on a line of their own.
     */
    Body body(String method) {
        Pattern declared = Pattern.compile("(?<![\\w.])" + Pattern.quote(method) + "\\s*\\(");
        List<Body> found = new ArrayList<>();
        int depth = 0;
        for (int i = 0; i < code.size(); i++) {
            String line = code.get(i);
            for (int c = 0; c < line.length(); c++) {
                char ch = line.charAt(c);
                if (depth == 1 && Character.isJavaIdentifierStart(ch) && (c == 0 || !Character.isJavaIdentifierPart(line.charAt(c - 1)))) {
                    Matcher m = declared.matcher(line).region(c, line.length());
                    if (m.lookingAt() && !isCall(line, c)) {
                        found.add(bodyFrom(method, i, m.end()));
                    }
                }
                if (ch == '{') {
                    depth++;
                } else if (ch == '}') {
                    depth--;
                }
            }
        }
        if (found.size() != 1) {
            throw new IllegalStateException(name + " declares " + found.size() + " methods called " + method
                    + ", not one");
        }
        return found.get(0);
    }

    /** A name followed by '(' at class level is a call, not a declaration, after '=', 'new' or an open call. */
    private static boolean isCall(String line, int at) {
        String before = line.substring(0, at).stripTrailing();
        return before.endsWith("=") || before.endsWith("new") || before.endsWith("(") || before.endsWith(",")
                || before.endsWith("return");
    }

    /** From the '(' after a declared name at (line, column): the body between the next '{' and its '}'. */
    private Body bodyFrom(String method, int declaration, int column) {
        int parens = 1;
        int line = declaration;
        int c = column;
        int open = -1;
        int depth = 0;
        while (line < code.size()) {
            String text = code.get(line);
            for (; c < text.length(); c++) {
                char ch = text.charAt(c);
                if (parens > 0) {
                    parens += ch == '(' ? 1 : ch == ')' ? -1 : 0;
                } else if (ch == ';' && open < 0) {
                    throw new IllegalStateException(name + ": " + method + " has no body (line " + (declaration + 1) + ")");
                } else if (ch == '{') {
                    if (open < 0) {
                        open = line;
                        if (!text.substring(c + 1).isBlank()) {
                            throw new IllegalStateException(name + ": the body of " + method
                                    + " must start on the line after its '{' (line " + (line + 1) + ")");
                        }
                    }
                    depth++;
                } else if (ch == '}') {
                    depth--;
                    if (depth == 0) {
                        if (!text.strip().equals("}")) {
                            throw new IllegalStateException(name + ": the '}' closing " + method
                                    + " must be alone on its line (line " + (line + 1) + ")");
                        }
                        return new Body(method, declaration, open, line);
                    }
                }
            }
            line++;
            c = 0;
        }
        throw new IllegalStateException(name + ": the body of " + method + " never closes");
    }

    /** Comments and the insides of string, text-block and character literals become spaces; line breaks stay. */
    static String blank(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            char ch = text.charAt(i);
            if (text.startsWith("//", i)) {
                while (i < n && text.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                for (; i < end; i++) {
                    out.append(text.charAt(i) == '\n' ? '\n' : ' ');
                }
            } else if (text.startsWith("\"\"\"", i)) {
                int end = text.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                out.append("\"\"\"");
                for (i += 3; i < end - 3; i++) {
                    out.append(text.charAt(i) == '\n' ? '\n' : ' ');
                }
                out.append("\"\"\"");
                i = end;
            } else if (ch == '"' || ch == '\'') {
                out.append(ch);
                i++;
                while (i < n && text.charAt(i) != ch && text.charAt(i) != '\n') {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        out.append(' ');
                        i++;
                    }
                    out.append(' ');
                    i++;
                }
                if (i < n && text.charAt(i) == ch) {
                    out.append(ch);
                    i++;
                }
            } else {
                out.append(ch);
                i++;
            }
        }
        return out.toString();
    }
}
