package dev.dojo.assertions;

import ai.djl.ndarray.NDArray;
import dev.dojo.probes.ProbeResult;

/** Entry point for the dojo's assertions: {@code assertThat(actual).isCloseTo(expected, tolerance)}. */
public final class DojoAssertions {
    private DojoAssertions() {}

    public static NDArrayAssert assertThat(NDArray actual) {
        return new NDArrayAssert(actual);
    }

    public static ProbeAssert assertThat(ProbeResult actual) {
        return new ProbeAssert(actual);
    }
}
