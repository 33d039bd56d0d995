package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Attention;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Grouped-query attention that tiles the KV heads (query head h reads KV head h mod H_kv) instead of
 * repeating each in place (h / G). A known-bad variant.
 */
final class TiledKvHeadsAttention extends Attention {

    TiledKvHeadsAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray repeatKv(NDArray kv) {
        return kv.tile(new long[] {1, heads() / kvHeads(), 1, 1});            // (B, H, S, D)
    }
}
