package dev.dojo.diagnosis;

/**
 * Who reads a diagnosis. By default a pair sees the evidence only and names the bug themselves; a
 * coach (after the third hint, or with {@code --coach}) also sees the bug classes the evidence fits.
 */
public enum Mode {
    /** The evidence only: the reader names the bug. The default, and always so in an interview. */
    EVIDENCE,
    /** The evidence, then the broken properties and the bug classes whose signature they fit. */
    COACH;

    /** The system property that picks the mode of kata test failures: {@code coach}, or evidence only. */
    public static final String PROPERTY = "dojo.mode";

    /** The value of {@value #PROPERTY} that picks this mode, as {@link #current()} reads it. */
    public String property() {
        return this == COACH ? "coach" : "evidence";
    }

    /** The mode {@value #PROPERTY} names: coach only when it says so. */
    public static Mode current() {
        return "coach".equalsIgnoreCase(System.getProperty(PROPERTY, "")) ? COACH : EVIDENCE;
    }
}
