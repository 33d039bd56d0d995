package dev.dojo.katas.rolling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.compare.Tolerance;
import dev.dojo.golden.GoldenModel;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;

import java.util.List;

/**
 * The reference attention decoding through RollingBufferCache, with the weights of a Mistral-style
 * attention written in PyTorch (4 query heads, 2 KV heads, rotate_half RoPE), against that module's
 * one pass under the same sliding window: a seeded window of 2 to 5, a prompt of 1, 2, W - 1, W or
 * W + 1 tokens, then one token per step, to 14 tokens, well past the wrap.
 * B batch, T tokens, C model width.
 */
public final class RollingBufferCacheGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(19);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    static final String MODEL = "sliding_window_attention";
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    static final int WIDTH = 32;
    static final int HEAD_SIZE = WIDTH / HEADS;
    static final int BATCH = 2;
    static final int TOKENS = 14;

    /** The reference attention with the golden module's weights: rotate_half RoPE, θ 10000, D 8. */
    static Attention attention(NDManager manager) {
        return Attention.fromLlama(GoldenModel.named(MODEL).parameters(manager), HEADS, KV_HEADS,
                new RotaryEmbedding(HEAD_SIZE, 10_000, RopePairing.HALF_SPLIT));
    }

    /** PyTorch's sliding-window attention on x: (B, T, C) in one pass under a window of {@code window}. */
    static NDArray pyTorch(NDManager manager, NDArray x, long window) {
        return GoldenModel.named(MODEL).run(manager, x, manager.create(window)).singletonOrThrow();
    }

    /**
     * x: (B, T, C) through {@code cache} under a window of {@code window}: a prompt of {@code prompt}
     * tokens, then {@code chunk} tokens per step; every step's outputs, (B, T, C).
     */
    static NDArray decode(CachedAttention attention, KvCache cache, NDArray x, int window, long prompt, long chunk) {
        long tokens = x.getShape().get(1);
        AttentionMask mask = AttentionMask.slidingWindow(window);
        NDArray decoded = attention.forward(x.get(new NDIndex(":, :{}", prompt)), mask, cache);         // (B, prompt, C)
        for (long t = prompt; t < tokens; t += chunk) {
            NDArray step = x.get(new NDIndex(":, {}:{}", t, Math.min(tokens, t + chunk)));            // (B, chunk, C)
            decoded = decoded.concat(attention.forward(step, mask, cache), 1);
        }
        return decoded;
    }

    /** The kata's cache in a tiny Mistral: RMSNorm, 4 query heads sharing 2 KV heads, RoPE, a window of 3. */
    @Override
    public Kit kit() {
        return Kit.reference(ModelConfig.tinyMistral()).named("rolling-kv-cache").withRollingCache(RollingBufferCache::new);
    }

    @Override
    public long seed() {
        return SEED;
    }

    @Override
    public Tolerance tolerance() {
        return TOLERANCE;
    }

    @Override
    public Outputs run(NDManager manager, long seed) {
        Seeded seeded = Seeded.of(manager, seed);
        int window = 2 + seeded.stream("window").nextInt(4);
        long[] prompts = {1, 2, window - 1, window, window + 1};
        long prompt = prompts[seeded.stream("prompt").nextInt(prompts.length)];
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);                      // (B, T, C)
        NDArray actual = decode(attention(manager), new RollingBufferCache(window), x, window, prompt, 1);
        return new Outputs(actual, pyTorch(manager, x, window), "Output decoded through a rolling buffer of " + window
                + " slots, a prompt of " + prompt + ", then one token per step",
                "Mistral-style attention in PyTorch, one pass", List.of("batch", "pos", "dim"));
    }
}
