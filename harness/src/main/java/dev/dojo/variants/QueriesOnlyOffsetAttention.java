package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Attention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention that rotates the queries at the cache offset but the keys as if they started at position
 * 0. A known-bad variant.
 */
final class QueriesOnlyOffsetAttention extends Attention {

    QueriesOnlyOffsetAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray[] rotateAndCache(NDArray q, NDArray k, NDArray v, KvCache cache, long offset) {
        if (rope() != null) {
            q = rope().apply(q, offset);                                      // (B, H, T, D)
            k = rope().apply(k, 0);                                           // (B, H_kv, T, D)
        }
        if (cache == null) {
            return new NDArray[] {q, k, v};
        }
        NDArray[] seen = cache.append(k, v);                                  // (B, H_kv, S, D) each
        return new NDArray[] {q, seen[0], seen[1]};
    }
}
