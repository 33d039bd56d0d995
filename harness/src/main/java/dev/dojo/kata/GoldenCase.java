package dev.dojo.kata;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.assertions.Comparison;
import dev.dojo.assertions.Tolerance;
import dev.dojo.kit.Kit;

import java.util.List;

import static dev.dojo.assertions.DojoAssertions.assertThat;

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

    /** The tolerance the golden test asserts. */
    Tolerance tolerance();

    /** Runs the component and the reference on inputs drawn from {@code seed}. */
    Outputs run(NDManager manager, long seed);

    /** What the component gave, what the reference gave, and how to name both in a report. */
    record Outputs(NDArray actual, NDArray expected, String subject, String reference, List<String> axes) {}

    /** Asserts that the component agrees with the reference at {@code seed}, with a localized report if not. */
    default void assertAgrees(NDManager manager, long seed) {
        Outputs out = run(manager, seed);
        assertThat(out.actual()).named(out.subject()).against(out.reference())
                .withAxes(out.axes().toArray(String[]::new)).withSeed(seed)
                .isCloseTo(out.expected(), tolerance());
    }

    /** The comparison at {@code seed}: its worst ratio says how many tolerances apart the two are. */
    default Comparison compare(NDManager manager, long seed) {
        Outputs out = run(manager, seed);
        return Comparison.of(out.actual(), out.expected(), tolerance());
    }
}
