package dev.dojo.probes;

import dev.dojo.compare.Comparison;
import dev.dojo.compare.ComparisonReport;

import java.util.List;

/**
 * A probe's verdict: the property it checks, and the evidence, a comparison of what the code
 * gave with what the property demands. A probe that cannot run on a part (no KV cache, say) is
 * not applicable; one whose code threw fails, with the exception as its note.
 */
public record ProbeResult(String probe, String property, Verdict verdict, Comparison evidence, String subject,
                          String demanded, List<String> axes, long seed, String note) {

    public enum Verdict { HOLDS, FAILS, NOT_APPLICABLE }

    /** The verdict the evidence gives: holds when the comparison passes. */
    public ProbeResult(String probe, String property, Comparison evidence, String subject, String demanded,
                       List<String> axes, long seed) {
        this(probe, property, evidence.passes() ? Verdict.HOLDS : Verdict.FAILS, evidence, subject, demanded, axes,
                seed, "");
    }

    /** The probe cannot run on this part, for the reason given. */
    public static ProbeResult notApplicable(String probe, String property, String why) {
        return new ProbeResult(probe, property, Verdict.NOT_APPLICABLE, null, "", "", List.of(), 0, why);
    }

    /** The code under the probe threw: the property could not be checked, which counts as failing. */
    public static ProbeResult threw(String probe, String property, RuntimeException e, long seed) {
        return new ProbeResult(probe, property, Verdict.FAILS, null, "", "", List.of(), seed,
                "threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    /** A verdict that a condition other than a comparison decided, with its evidence in words. */
    public static ProbeResult decided(String probe, String property, boolean holds, String evidence, long seed) {
        return new ProbeResult(probe, property, holds ? Verdict.HOLDS : Verdict.FAILS, null, "", "", List.of(), seed,
                evidence);
    }

    public boolean holds() {
        return verdict == Verdict.HOLDS;
    }

    public boolean fails() {
        return verdict == Verdict.FAILS;
    }

    /** ✓ holds, ✗ fails, · not applicable. */
    public String mark() {
        return switch (verdict) {
            case HOLDS -> "✓";
            case FAILS -> "✗";
            case NOT_APPLICABLE -> "·";
        };
    }

    /** "✓ name" when the property holds, else the property and a localized report of the evidence. */
    public String report() {
        return switch (verdict) {
            case HOLDS -> "✓ " + probe;
            case NOT_APPLICABLE -> "· " + probe + " (not applicable: " + note + ")";
            case FAILS -> "✗ " + probe + ": " + property + "\n" + (evidence == null
                    ? ("  " + note + (seed == 0 ? "" : "\n  seed: " + seed + " (reruns this exact case)"))
                    : ComparisonReport.render(evidence, subject, demanded, axes, seed).indent(2).stripTrailing());
        };
    }
}
