package dev.dojo.probes;

import ai.djl.ndarray.NDManager;
import dev.dojo.kit.Kit;

/**
 * A property any correct implementation has, checked without a reference: the probe builds what
 * it needs from a {@link Kit}, so it runs alike on the reference, a known-bad variant or a
 * learner's component.
 */
public interface Probe {

    /** A short name for tables: "causality". */
    String name();

    /** The property, as one sentence. */
    String property();

    /** Checks the property on parts built by {@code kit}, with inputs drawn from {@code seed}. */
    ProbeResult check(Kit kit, NDManager manager, long seed);

    /** Runs {@link #check}, turning an exception from the code under the probe into a failing verdict. */
    default ProbeResult run(Kit kit, NDManager manager, long seed) {
        try (NDManager scope = manager.newSubManager()) {
            return check(kit, scope, seed);      // a comparison holds copies, so the scope may close
        } catch (RuntimeException e) {
            return ProbeResult.threw(name(), property(), e, seed);
        }
    }
}
