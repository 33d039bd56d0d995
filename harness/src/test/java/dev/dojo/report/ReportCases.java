package dev.dojo.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.kit.Kit;
import dev.dojo.probes.ProbeResult;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;

import java.util.List;

/** Two small kata runs to report: an attention with its mask on the wrong axis, and RoPE counting from 1. */
final class ReportCases {
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    static final long SEED = 21;

    private ReportCases() {}

    /** Multi-head attention (B 3, T 7, C 16, H 4) masking queries instead of keys, against the reference. */
    static HtmlReport maskOnQueryAxis(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        Linear q = Linear.random(seeded, "q", 16, 16, true);
        Linear k = Linear.random(seeded, "k", 16, 16, true);
        Linear v = Linear.random(seeded, "v", 16, 16, true);
        Linear o = Linear.random(seeded, "o", 16, 16, true);
        NDArray x = seeded.normal("x", 1, 3, 7, 16);                                  // (B, T, C)
        NDArray padding = seeded.rightPadding(7, 7, 3, 5);                              // (B, T)
        AttentionMask mask = AttentionMask.padding(padding);
        Kit.AttentionFactory reference = Attention::new;
        Kit.AttentionFactory underTest = (wq, wk, wv, wo, heads, kvHeads, rope) ->
                new QueryAxisMaskAttention(wq, wk, wv, wo, heads);

        NDArray expected = reference.make(q, k, v, o, 4, 4, null).forward(x, mask);
        NDArray actual = underTest.make(q, k, v, o, 4, 4, null).forward(x, mask);
        AttentionWeights referenceMaps = AttentionWeights.of(AttentionMaps.extract(reference, q, k, 4, 4, null, x, mask));
        AttentionWeights underTestMaps = AttentionWeights.of(AttentionMaps.extract(underTest, q, k, 4, 4, null, x, mask));

        NDArray keep = padding.expandDims(-1);                                          // (B, T, 1)
        NDArray repadded = x.mul(keep).add(seeded.normal("noise", 3, 3, 7, 16).mul(keep.neg().add(1f)));
        NDArray after = underTest.make(q, k, v, o, 4, 4, null).forward(repadded, mask).mul(keep);
        List<ProbeResult> probes = List.of(
                ProbeResult.decided("batch independence", "a sample's output ignores the other samples", true,
                        "each item alone gives the same output", SEED),
                new ProbeResult("padding independence",
                        "changing what the pad tokens hold leaves every real token's output unchanged",
                        Comparison.of(after, actual.mul(keep), Tolerance.of(1e-6, 1e-5)),
                        "Real tokens' output with the pads redrawn", "their output before",
                        List.of("batch", "pos", "dim"), SEED),
                ProbeResult.notApplicable("kv-cache", "decoding token by token equals the full forward pass",
                        "the attention has no KV cache"));
        return HtmlReport.of("mask-broadcast · report fixture: padding mask on the query axis",
                        Comparison.of(actual, expected, TOLERANCE), "Attention output",
                        "the reference attention with a key padding mask", List.of("batch", "pos", "dim"))
                .withSeed(SEED)
                .withAttention(AttentionView.of(referenceMaps, underTestMaps, mask))
                .withProbes(probes);
    }

    /** RoPE (B 2, H 3, T 8, D 8) rotating position p by p + 1, against the reference. */
    static HtmlReport ropeCountingFromOne(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        RotaryEmbedding rope = new RotaryEmbedding(8, 10_000, RopePairing.HALF_SPLIT);
        NDArray x = seeded.normal("x", 1, 2, 3, 8, 8);                                 // (B, H, T, D)
        NDArray expected = rope.apply(x, 0);
        NDArray actual = rope.apply(x, 1);
        NDIndex first = new NDIndex(":, :, 0:1, :");
        List<ProbeResult> probes = List.of(
                new ProbeResult("position zero", "RoPE leaves the token at position 0 unrotated",
                        Comparison.of(actual.get(first), x.get(first), TOLERANCE), "RoPE output at position 0",
                        "its input", List.of("batch", "head", "pos", "dim"), SEED),
                ProbeResult.threw("relative position", "shifting every position by k leaves the scores unchanged",
                        new IllegalStateException("offset (-1) must be non-negative"), SEED));
        return HtmlReport.of("rope-off-by-one · report fixture: positions counted from 1",
                        Comparison.of(actual, expected, TOLERANCE), "RoPE output", "PyTorch's rotate_half RoPE",
                        List.of("batch", "head", "pos", "dim"))
                .withSeed(SEED)
                .withProbes(probes);
    }
}
