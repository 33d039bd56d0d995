package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Attention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention that always goes through a KV cache, a fresh one when none is given, and stores detached
 * keys and values in it to save memory. A known-bad variant.
 */
final class DetachedCacheAttention extends Attention {

    DetachedCacheAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray[] rotateAndCache(NDArray q, NDArray k, NDArray v, KvCache cache, long offset) {
        if (rope() != null) {
            q = rope().apply(q, offset);                                      // (B, H, T, D)
            k = rope().apply(k, offset);                                      // (B, H_kv, T, D)
        }
        KvCache store = cache == null ? new KvCache() : cache;
        NDArray[] seen = store.append(k.stopGradient(), v.stopGradient());    // (B, H_kv, S, D) each
        return new NDArray[] {q, seen[0], seen[1]};
    }
}
