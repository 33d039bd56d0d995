// wrong fix: writes the last min(T, W) tokens of a chunk from the slot of the chunk's first token on, counting the loop from 0: right for chunks of at most W tokens, but a longer chunk's tokens land T - W slots early
package dev.dojo.katas.rolling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.dojo.reference.KvCache;

/**
 * Mistral's rolling buffer KV cache, after mistral-inference's RotatingBufferCache: W slots, and the
 * key and value of the token at position p (after RoPE) go to slot p mod W, so the buffer always
 * holds the last W positions. Each step hands the attention the cached tokens in order, oldest
 * first, then the new ones; the attention's sliding-window mask hides those too old for a query.
 * B batch, H_kv key/value heads, T new tokens, W slots, D head size, S keys handed out.
 */
public final class RollingBufferCache extends KvCache {
    private final int window;
    private NDArray cacheK;                                                          // (B, H_kv, W, D)
    private NDArray cacheV;                                                          // (B, H_kv, W, D)
    private long seqlen;

    /** An empty buffer of {@code window} slots. */
    public RollingBufferCache(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("a rolling buffer needs at least one slot, got " + window);
        }
        this.window = window;
    }

    /** How many tokens have been cached: the position of the next one. */
    @Override
    public long length() {
        return seqlen;
    }

    /** Caches k, v: (B, H_kv, T, D); returns the cached keys and values, oldest first, then k and v. */
    @Override
    public NDArray[] append(NDArray k, NDArray v) {                                  // k, v: (B, H_kv, T, D)
        NDArray keys = seqlen == 0 ? k : unrotate(cacheK).concat(k, 2);             // (B, H_kv, S, D)
        NDArray values = seqlen == 0 ? v : unrotate(cacheV).concat(v, 2);           // (B, H_kv, S, D)
        if (cacheK == null) {
            Shape shape = new Shape(k.getShape().get(0), k.getShape().get(1), window, k.getShape().get(3));
            cacheK = k.getManager().zeros(shape, k.getDataType());                 // (B, H_kv, W, D)
            cacheV = v.getManager().zeros(shape, v.getDataType());                 // (B, H_kv, W, D)
        }
        long tokens = k.getShape().get(2);
        long skipped = Math.max(0, tokens - window);
        for (long i = 0; i < tokens - skipped; i++) {
            NDIndex slot = new NDIndex(":, :, {}", (seqlen + i) % window);
            NDIndex token = new NDIndex(":, :, {}", skipped + i);
            cacheK.set(slot, k.get(token));                                         // (B, H_kv, D)
            cacheV.set(slot, v.get(token));                                         // (B, H_kv, D)
        }
        seqlen += tokens;
        return new NDArray[] {keys, values};
    }

    /** The cached positions max(0, seqlen - W) … seqlen - 1, oldest first: (B, H_kv, min(seqlen, W), D). */
    private NDArray unrotate(NDArray cache) {                                        // cache: (B, H_kv, W, D)
        if (seqlen <= window) {
            return cache.get(new NDIndex(":, :, :{}", seqlen));                    // (B, H_kv, seqlen, D)
        }
        long oldest = seqlen % window;
        return cache.get(new NDIndex(":, :, {}:", oldest))                         // (B, H_kv, W - oldest, D)
                .concat(cache.get(new NDIndex(":, :, :{}", oldest)), 2);           // (B, H_kv, W, D)
    }
}
