package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
import java.util.function.Supplier;

/**
 * Rolling-buffer equivalence: decoding through the kit's rolling KV cache of W slots, one token per
 * step, gives at every position the full forward pass under a sliding window of W, well past the
 * point where the buffer wraps (T = 2W + 2, two wraps); so does decoding in chunks of W + 1 tokens, each more
 * than the buffer holds. The probe reports the first position that diverges. Not applicable when the
 * model has no sliding window, or the kit's attention is not a {@link CachedAttention}.
 * <p>
 * Blind spots: the full pass is the kit's own, so a window bug that both paths share passes (the
 * sliding-window probe reads the window itself); no padding; the buffer starts empty every time.
 */
public final class RollingBufferEquivalence implements Probe {
    public static final String NAME = "rolling buffer";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "decoding through a rolling buffer of W slots gives the full pass under a window of W, past the wrap";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        if (c.window() == 0) {
            return ProbeResult.notApplicable(NAME, property(), "the model has no sliding window");
        }
        Seeded seeded = Seeded.of(manager, seed);
        SelfAttention attention = kit.attention(c.layerParameters(seeded, "").under("self_attn"), c);
        if (!(attention instanceof CachedAttention cached)) {
            return ProbeResult.notApplicable(NAME, property(), "the attention has no KV cache (not a CachedAttention)");
        }
        return check(cached, () -> kit.rollingCache(c), c.window(), seeded, 2, 2L * c.window() + 2, c.width());
    }

    /** Decodes x: (B, T, C) through fresh caches from {@code caches}, one token per step, then W + 1 per step. */
    public static ProbeResult check(CachedAttention attention, Supplier<KvCache> caches, int window, Seeded seeded,
                                    long batch, long tokens, long width) {
        NDArray x = seeded.normal("rolling-buffer.x", 1, batch, tokens, width);
        AttentionMask mask = AttentionMask.slidingWindow(window);
        NDArray full = attention.forward(x, mask);                                            // (B, T, C)
        ProbeResult stepwise = result(KvCacheEquivalence.decode(attention, caches.get(), x, mask, 1), full, window, 1,
                seeded.seed());
        if (!stepwise.holds()) {
            return stepwise;
        }
        return result(KvCacheEquivalence.decode(attention, caches.get(), x, mask, window + 1), full, window,
                window + 1, seeded.seed());
    }

    private static ProbeResult result(NDArray decoded, NDArray full, int window, long chunk, long seed) {
        String how = chunk == 1 ? "one token per step" : chunk + " tokens per step";
        return new ProbeResult(NAME, "decoding through a rolling buffer of " + window + " slots, " + how + ", must give"
                + " the full pass under a window of " + window + " at every position", Comparison.of(decoded, full,
                TOLERANCE), "Output decoded through a rolling buffer, " + how,
                "the full pass under a window of " + window, List.of("batch", "pos", "dim"), seed);
    }
}
