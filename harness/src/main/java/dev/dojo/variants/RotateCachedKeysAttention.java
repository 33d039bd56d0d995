package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Attention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention whose KV cache stores keys before RoPE, then rotates every cached key as if the first sat
 * at the current offset. A known-bad variant.
 */
final class RotateCachedKeysAttention extends Attention {

    RotateCachedKeysAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray[] rotateAndCache(NDArray q, NDArray k, NDArray v, KvCache cache, long offset) {
        if (cache != null) {
            NDArray[] seen = cache.append(k, v);                              // (B, H_kv, S, D) each
            k = seen[0];                                                      // (B, H_kv, S, D)
            v = seen[1];                                                      // (B, H_kv, S, D)
        }
        if (rope() != null) {
            q = rope().apply(q, offset);                                      // (B, H, T, D)
            k = rope().apply(k, offset);                                      // (B, H_kv, S, D)
        }
        return new NDArray[] {q, k, v};
    }
}
