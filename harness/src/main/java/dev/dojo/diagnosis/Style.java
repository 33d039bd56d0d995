package dev.dojo.diagnosis;

import java.io.Console;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The glyphs a diagnosis draws with: Unicode shades and marks, or plain ASCII for terminals that
 * cannot show them. A diagnosis writes no ANSI colour, so NO_COLOR needs no handling here.
 * Lines taken from {@link dev.dojo.compare.ComparisonReport} keep their own glyphs.
 */
public enum Style {
    UNICODE(" ░▒▓█", "✓", "✗", "·", "│", "◀", "×", "≤", "Δ", "…"),
    ASCII(" .:*#", "ok", "FAIL", "n/a", "|", "<--", "x", "<=", "d", "...");

    private final String shades;
    private final String holds;
    private final String fails;
    private final String notApplicable;
    private final String frame;
    private final String marker;
    private final String times;
    private final String atMost;
    private final String delta;
    private final String ellipsis;

    Style(String shades, String holds, String fails, String notApplicable, String frame, String marker, String times,
          String atMost, String delta, String ellipsis) {
        this.shades = shades;
        this.holds = holds;
        this.fails = fails;
        this.notApplicable = notApplicable;
        this.frame = frame;
        this.marker = marker;
        this.times = times;
        this.atMost = atMost;
        this.delta = delta;
        this.ellipsis = ellipsis;
    }

    /**
     * ASCII when asked ({@code -Ddojo.ascii=true} or the environment variable DOJO_ASCII), when
     * TERM is "dumb", or when the console's charset is not UTF-8; Unicode otherwise.
     */
    public static Style detect() {
        if (Boolean.getBoolean("dojo.ascii") || System.getenv("DOJO_ASCII") != null
                || "dumb".equals(System.getenv("TERM"))) {
            return ASCII;
        }
        Console console = System.console();
        if (console != null && !console.charset().equals(StandardCharsets.UTF_8)
                && !console.charset().name().toUpperCase(Locale.ROOT).startsWith("UTF")) {
            return ASCII;
        }
        return UNICODE;
    }

    /** Five shades from blank (within tolerance) to the largest |Δ|. */
    public String shades() {
        return shades;
    }

    public String holds() {
        return holds;
    }

    public String fails() {
        return fails;
    }

    public String notApplicable() {
        return notApplicable;
    }

    public String frame() {
        return frame;
    }

    public String marker() {
        return marker;
    }

    public String times() {
        return times;
    }

    public String atMost() {
        return atMost;
    }

    public String delta() {
        return delta;
    }

    public String ellipsis() {
        return ellipsis;
    }
}
