package dev.dojo.diagnosis;

import dev.dojo.compare.Comparison;

import java.util.List;

/**
 * A comparison with ground truth and how to name it: what the tensor under test is, what it was
 * compared with, its axes, and the seed that reproduces it (null when there is none).
 */
public record GoldenComparison(Comparison comparison, String subject, String reference, List<String> axes,
                               Long seed) {
    public GoldenComparison {
        axes = List.copyOf(axes);
    }
}
