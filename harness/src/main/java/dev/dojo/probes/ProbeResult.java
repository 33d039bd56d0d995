package dev.dojo.probes;

import dev.dojo.assertions.Comparison;
import dev.dojo.assertions.ComparisonReport;

import java.util.List;

/**
 * A probe's verdict: the property it checks, and the evidence, a comparison of what the code
 * gave with what the property demands.
 */
public record ProbeResult(String probe, String property, Comparison evidence, String subject, String demanded,
                          List<String> axes, long seed) {

    public boolean holds() {
        return evidence.passes();
    }

    /** "✓ name" when the property holds, else the property and a localized report of the evidence. */
    public String report() {
        if (holds()) {
            return "✓ " + probe;
        }
        return "probe '" + probe + "' fails: " + property + "\n"
                + ComparisonReport.render(evidence, subject, demanded, axes, seed).indent(2).stripTrailing();
    }
}
