package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.SelfAttention;
import dev.dojo.tensor.Seeded;

import java.util.List;

/**
 * KV-cache equivalence: decoding with a {@link KvCache}, one token per step, gives at every step
 * the output the full causal forward pass gives at that position; so does decoding in chunks of
 * several tokens (a prefill, then more). The probe runs the kit's attention both ways and reports
 * the first position (step) that diverges. Not applicable when the kit's attention is not a
 * {@link CachedAttention}.
 * <p>
 * Blind spots: it compares the cached path with the kit's own full pass, so a bug both paths share
 * (RoPE counted from 1, a missing causal mask in both) passes; it never evicts or reuses a cache,
 * and it uses no padding mask.
 */
public final class KvCacheEquivalence implements Probe {
    public static final String NAME = "kv-cache equivalence";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "decoding step by step with a KV cache gives the full causal forward pass's output at every step";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        Seeded seeded = Seeded.of(manager, seed);
        SelfAttention attention = kit.attention(c.layerParameters(seeded, "").under("self_attn"), c);
        if (!(attention instanceof CachedAttention cached)) {
            return ProbeResult.notApplicable(NAME, property(), "the attention has no KV cache (not a CachedAttention)");
        }
        return check(cached, seeded, 2, 6, c.width());
    }

    /** Decodes x: (B, T, C) one token at a time, then in chunks of T/2, against the full causal pass. */
    public static ProbeResult check(CachedAttention attention, Seeded seeded, long batch, long tokens, long width) {
        NDArray x = seeded.normal("kv-cache.x", 1, batch, tokens, width);
        NDArray full = attention.forward(x, AttentionMask.causalOnly());                     // (B, T, C)
        ProbeResult stepwise = result(decode(attention, x, 1), full, 1, seeded.seed());
        if (!stepwise.holds()) {
            return stepwise;
        }
        return result(decode(attention, x, tokens / 2), full, tokens / 2, seeded.seed());
    }

    /** Feeds x to a fresh cache {@code chunk} tokens per step; returns the outputs of every step, (B, T, C). */
    private static NDArray decode(CachedAttention attention, NDArray x, long chunk) {
        return decode(attention, new KvCache(), x, AttentionMask.causalOnly(), chunk);
    }

    /** Feeds x to {@code cache} under {@code mask}, {@code chunk} tokens per step; the outputs of every step, (B, T, C). */
    static NDArray decode(CachedAttention attention, KvCache cache, NDArray x, AttentionMask mask, long chunk) {
        long tokens = x.getShape().get(1);
        NDArray outputs = null;
        for (long t = 0; t < tokens; t += chunk) {
            NDArray step = x.get(new NDIndex(":, {}:{}", t, Math.min(tokens, t + chunk)));    // (B, chunk, C)
            NDArray y = attention.forward(step, mask, cache);
            outputs = outputs == null ? y : outputs.concat(y, 1);
        }
        return outputs;
    }

    private static ProbeResult result(NDArray decoded, NDArray full, long chunk, long seed) {
        String how = chunk == 1 ? "one token per step" : chunk + " tokens per step";
        return new ProbeResult(NAME, "decoding with a KV cache, " + how + ", must give the full causal forward"
                + " pass's output at every position", Comparison.of(decoded, full, TOLERANCE),
                "Output decoded with a KV cache, " + how, "the full causal forward pass",
                List.of("batch", "pos", "dim"), seed);
    }
}
