package dev.dojo.diagnosis;

/** Who reads a diagnosis: a coach's report suggests the bug classes the evidence fits; an interview's shows only the evidence. */
public enum Mode {
    /** The evidence, then "consistent with: family (bug)" from the signature table. */
    COACH,
    /** The evidence only: the reader names the bug. */
    INTERVIEW;

    /** The system property that picks the mode of kata test failures: {@code interview} or {@code coach} (the default). */
    public static final String PROPERTY = "dojo.mode";

    /** The mode {@value #PROPERTY} names; coach unless it says interview. */
    public static Mode current() {
        return "interview".equalsIgnoreCase(System.getProperty(PROPERTY, "")) ? INTERVIEW : COACH;
    }
}
