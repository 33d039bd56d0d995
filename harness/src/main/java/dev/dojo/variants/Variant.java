package dev.dojo.variants;

import dev.dojo.kit.Kit;

/**
 * A deliberately wrong implementation, as a kit with one part replaced: the probes are tested
 * against these (each must kill at least one), and their kill patterns are the signatures the
 * diagnosis matches a learner's failures against.
 *
 * @param name   a short id, e.g. "mask-on-query-axis"
 * @param family the bug class a coach names, e.g. "mask broadcast on the wrong axis"
 * @param bug    what is wrong, in one sentence
 * @param kit    the reference kit with the wrong part in place
 */
public record Variant(String name, String family, String bug, Kit kit) {}
