package dev.dojo.diagnosis;

import java.util.Set;

/**
 * What a known bug does to the probes: the names of the probes it makes fail. Every other probe
 * it was checked by holds on it.
 *
 * @param family  the bug class a coach names, e.g. "mask broadcast on the wrong axis"
 * @param bug     what is wrong, in one sentence
 * @param failing the names of the probes that fail on it
 */
public record Signature(String family, String bug, Set<String> failing) {
    public Signature {
        failing = Set.copyOf(failing);
    }
}
