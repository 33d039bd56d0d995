package dev.dojo.assertions;

import dev.dojo.probes.ProbeResult;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a probe's verdict: a failure shows the property and its localized evidence. */
public final class ProbeAssert extends AbstractAssert<ProbeAssert, ProbeResult> {

    ProbeAssert(ProbeResult actual) {
        super(actual, ProbeAssert.class);
    }

    /** Passes when the probe's property holds. */
    public ProbeAssert holds() {
        isNotNull();
        if (!actual.holds()) {
            failWithMessage("%s", actual.report());
        }
        return this;
    }
}
