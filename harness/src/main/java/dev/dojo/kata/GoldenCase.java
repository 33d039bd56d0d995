package dev.dojo.kata;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.diagnosis.Diagnosis;
import dev.dojo.diagnosis.GoldenComparison;
import dev.dojo.diagnosis.Localization;
import dev.dojo.diagnosis.Mode;
import dev.dojo.diagnosis.Style;
import dev.dojo.probes.Probes;
import dev.dojo.variants.Signatures;
import org.opentest4j.AssertionFailedError;
import dev.dojo.kit.Kit;
import dev.dojo.tensor.Seeded;

import java.util.List;


/**
 * A kata's comparison with ground truth at one seed: the kata's component and the reference run
 * on the same seeded inputs. The kata's golden test asserts it at one seed; the integrity check
 * measures it over many seeds, on the broken source and on the solution.
 * Implementations need a public no-argument constructor.
 */
public interface GoldenCase {

    /**
     * The reference kit with the kata's component in place, so the probes can run on it; null
     * when the kata has none.
     */
    default Kit kit() {
        return null;
    }

    /**
     * The correct parts of the model {@link #kit()} builds, which the layer-by-layer trace compares
     * it with: the harness's reference kit in the same configuration, unless a case says otherwise.
     */
    default Kit referenceKit() {
        Kit kit = kit();
        return kit == null ? null : Kit.reference(kit.config());
    }

    /**
     * The seed the kata's tests run at, and the CLI's probes and report with them: a kata's own
     * default, unless {@code ./kata test --seed N} chose another ({@link Seeded#chosen}).
     */
    default long seed() {
        return Seeded.chosen(DEFAULT_SEED);
    }

    /** The seed of a kata that names none of its own. */
    long DEFAULT_SEED = 7;

    /** The tolerance the golden test asserts. */
    Tolerance tolerance();

    /** Runs the component and the reference on inputs drawn from {@code seed}. */
    Outputs run(NDManager manager, long seed);

    /** What the component gave, what the reference gave, and how to name both in a report. */
    record Outputs(NDArray actual, NDArray expected, String subject, String reference, List<String> axes) {}

    /**
     * Asserts that the component agrees with the reference at {@code seed}. A failure carries the
     * diagnosis: the localized comparison, and, when the kata has a kit, the probes' verdicts, the
     * first diverging step of the tiny model and (in coach mode) the bug classes the evidence fits.
     */
    default void assertAgrees(NDManager manager, long seed) {
        Outputs out = run(manager, seed);
        Comparison comparison = Comparison.of(out.actual(), out.expected(), tolerance());
        if (comparison.passes()) {
            return;
        }
        GoldenComparison golden = new GoldenComparison(comparison, out.subject(), out.reference(), out.axes(), seed);
        Kit kit = kit();
        Diagnosis diagnosis = kit == null ? Diagnosis.of(golden, List.of())
                : Diagnosis.collect(golden, kit, Probes.all(), manager, seed)
                        .withLocalization(Localization.run(kit, referenceKit(), manager, seed, tolerance()))
                        .withSignatures(Signatures.table(kit));
        throw new AssertionFailedError(diagnosis.render(Mode.current(), Style.detect()));
    }

    /** The comparison at {@code seed}: its worst ratio says how many tolerances apart the two are. */
    default Comparison compare(NDManager manager, long seed) {
        Outputs out = run(manager, seed);
        return Comparison.of(out.actual(), out.expected(), tolerance());
    }
}
