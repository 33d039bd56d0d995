package dev.dojo.variants;

import dev.dojo.diagnosis.Signature;
import dev.dojo.diagnosis.SignatureTable;
import dev.dojo.kit.Kit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bug classes a diagnosis can name, with the probes each one breaks. Declared here, so a
 * diagnosis costs nothing to match; {@code KillMatrixTest} checks every declaration against the
 * kill matrix measured on the variants, so the table cannot drift from what the probes see.
 */
public final class Signatures {
    /** For each variant of {@link Variants#all()}, the probes that kill it. */
    static final Map<String, Set<String>> DECLARED = Map.ofEntries(
            Map.entry("prenorm-residual-from-norm", Set.of("residual identity")),
            Map.entry("postnorm-sublayer-norm", Set.of("residual identity")),
            Map.entry("mask-on-query-axis", Set.of("padding independence")),
            Map.entry("causal-off-by-one", Set.of("causality", "causal jacobian", "kv-cache equivalence")),
            Map.entry("causal-mask-missing", Set.of("causality", "causal jacobian", "kv-cache equivalence")),
            Map.entry("softmax-over-queries", Set.of("padding independence", "causality", "causal jacobian",
                    "rows sum to 1", "kv-cache equivalence")),
            Map.entry("rope-from-one", Set.of("position zero")),
            Map.entry("rope-ignores-offset", Set.of("kv-cache equivalence")),
            Map.entry("rope-rotate-half-sign", Set.of("relative position")),
            Map.entry("rope-offset-queries-only", Set.of("kv-cache equivalence")),
            Map.entry("cache-keys-before-rope", Set.of("kv-cache equivalence")),
            Map.entry("decode-mask-offset-zero", Set.of("kv-cache equivalence")),
            Map.entry("gqa-tile", Set.of("head independence", "gqa consistency")),
            Map.entry("heads-split-without-transpose", Set.of("padding independence", "causality", "causal jacobian",
                    "kv-cache equivalence", "head independence", "gqa consistency", "permutation equivariance")),
            Map.entry("heads-merge-without-transpose", Set.of("padding independence", "causality", "causal jacobian",
                    "kv-cache equivalence", "head independence", "permutation equivariance")),
            Map.entry("layernorm-over-sequence", Set.of("padding independence", "causality", "causal jacobian",
                    "shift invariance")),
            Map.entry("rmsnorm-over-everything", Set.of("batch independence", "padding independence", "causality",
                    "causal jacobian")),
            Map.entry("layernorm-no-centering", Set.of("shift invariance")),
            Map.entry("rmsnorm-no-sqrt", Set.of("scale invariance")),
            Map.entry("rmsnorm-unused-gain", Set.of("gradient flow")),
            Map.entry("kv-detached", Set.of("gradient flow")),
            Map.entry("softmax-without-max", Set.of("stability")),
            Map.entry("mask-fill-neg-inf", Set.of("stability")),
            Map.entry("mask-after-softmax", Set.of("padding independence", "causality", "causal jacobian",
                    "rows sum to 1", "kv-cache equivalence")),
            Map.entry("window-one-too-wide", Set.of("sliding window")),
            Map.entry("window-wrong-side", Set.of("sliding window", "rolling buffer")),
            Map.entry("rolling-write-slot", Set.of("rolling buffer")),
            Map.entry("rolling-read-unrotated", Set.of("rolling buffer")),
            Map.entry("online-softmax-sum-unscaled", Set.of("tiling invisible")),
            Map.entry("online-softmax-accumulator-unscaled", Set.of("tiling invisible")),
            Map.entry("cross-attention-on-decoder-stream", Set.of("decoder causality")),
            Map.entry("cross-attention-target-padding", Set.of("memory padding independence")));

    private Signatures() {}

    /** The declared signature of every known-bad variant, as a table the diagnosis matches against. */
    public static SignatureTable table() {
        return table(Variants.all());
    }

    /**
     * The signatures of the bugs that could be in {@code component}: those of the variants that
     * break the part it replaces, in a model like its own. A coach never suggests a RoPE bug for
     * a model without RoPE, or an RMSNorm bug for a LayerNorm block.
     */
    public static SignatureTable table(Kit component) {
        return table(Variants.applicableTo(component));
    }

    private static SignatureTable table(List<Variant> variants) {
        List<Signature> signatures = new ArrayList<>();
        for (Variant variant : variants) {
            Set<String> failing = DECLARED.get(variant.name());
            if (failing == null) {
                throw new IllegalStateException("variant " + variant.name() + " has no declared signature");
            }
            signatures.add(new Signature(variant.family(), variant.bug(), new LinkedHashSet<>(failing)));
        }
        return new SignatureTable(signatures);
    }

    /** The probes declared to kill the variant called {@code name}. */
    public static Set<String> declared(String name) {
        return DECLARED.getOrDefault(name, Set.of());
    }
}
