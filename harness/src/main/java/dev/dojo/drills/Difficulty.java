package dev.dojo.drills;

import dev.dojo.variants.Variant;

import java.util.Map;

/**
 * How hard a planted bug is to find from the evidence, 1 to 5 stars: declared for each known-bad
 * variant (a test requires every variant to have one), by how loudly its tests and probes speak.
 */
public final class Difficulty {
    static final Map<String, Integer> DECLARED = Map.ofEntries(
            // every output is wrong and many probes fail: the evidence points at once
            Map.entry("heads-split-without-transpose", 1),
            Map.entry("heads-merge-without-transpose", 1),
            Map.entry("softmax-over-queries", 1),
            Map.entry("causal-mask-missing", 1),
            Map.entry("layernorm-over-sequence", 1),
            // wrong outputs, one or two probes: the pattern of the failures says where
            Map.entry("causal-off-by-one", 2),
            Map.entry("mask-on-query-axis", 2),
            Map.entry("rmsnorm-over-everything", 2),
            Map.entry("rmsnorm-no-sqrt", 2),
            Map.entry("layernorm-no-centering", 2),
            Map.entry("prenorm-residual-from-norm", 2),
            Map.entry("postnorm-sublayer-norm", 2),
            Map.entry("rope-from-one", 2),
            Map.entry("rope-rotate-half-sign", 2),
            Map.entry("gqa-tile", 2),
            // right on the first pass; wrong only with a cache, a gain, or a query that sees nothing
            Map.entry("rope-ignores-offset", 3),
            Map.entry("rope-offset-queries-only", 3),
            Map.entry("decode-mask-offset-zero", 3),
            Map.entry("rmsnorm-unused-gain", 3),
            Map.entry("mask-fill-neg-inf", 3),
            Map.entry("mask-after-softmax", 3),
            // right in every forward pass a test would first write: only cached keys, gradients or extreme scores show it
            Map.entry("cache-keys-before-rope", 4),
            Map.entry("kv-detached", 4),
            Map.entry("softmax-without-max", 4));

    private Difficulty() {}

    /** The stars of {@code variant}; an error for a variant nobody rated. */
    public static int of(Variant variant) {
        Integer stars = DECLARED.get(variant.name());
        if (stars == null) {
            throw new IllegalStateException("variant " + variant.name() + " has no drill difficulty: declare it in "
                    + Difficulty.class.getName());
        }
        return stars;
    }
}
