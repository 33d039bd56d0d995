package dev.dojo.diagnosis;

/** Who reads a diagnosis: a coach's report suggests the bug classes the evidence fits; an interview's shows only the evidence. */
public enum Mode {
    /** The evidence, then "consistent with: family (bug)" from the signature table. */
    COACH,
    /** The evidence only: the reader names the bug. */
    INTERVIEW
}
