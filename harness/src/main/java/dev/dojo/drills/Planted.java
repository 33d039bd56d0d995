package dev.dojo.drills;

import dev.dojo.kata.LineDiff;
import dev.dojo.variants.Variant;

import java.util.ArrayList;
import java.util.List;

/**
 * A drill's source: the reference part's source with one step's body replaced by a variant's.
 * Line numbers count from 1.
 *
 * @param variant        the bug planted
 * @param part           the reference part it is planted in
 * @param step           the method whose body was replaced: "mask"
 * @param source         the drill's source
 * @param reference      the reference's source, moved into the drill's package as the drill was: the fix
 * @param first          the first planted line of {@code source}
 * @param last           the last planted line of {@code source}
 * @param referenceFirst the first line of the step's body in {@code reference}
 * @param referenceLast  the last line of the step's body in {@code reference}
 */
public record Planted(Variant variant, DrillPart part, String step, String source, String reference, int first,
                      int last, int referenceFirst, int referenceLast) {

    /** "Attention.mask": where the bug is. */
    public String where() {
        return part.className() + "." + step;
    }

    /** The fix, as unified-diff lines from the drill's source to the reference's ("-" planted, "+" reference). */
    public List<String> fix() {
        List<String> lines = new ArrayList<>();
        for (LineDiff.Line line : LineDiff.diff(List.of(source.split("\n", -1)), List.of(reference.split("\n", -1)))) {
            if (line.kind() != ' ') {
                lines.add(line.kind() + line.text());
            }
        }
        return lines;
    }

    /** "lines 134–136 of Attention.java", or "line 50 of RmsNorm.java". */
    public String lines() {
        return (first == last ? "line " + first : "lines " + first + "–" + last) + " of " + fileName();
    }

    /** The source file's name in a drill: "Attention.java". */
    public String fileName() {
        return part.className() + ".java";
    }
}
