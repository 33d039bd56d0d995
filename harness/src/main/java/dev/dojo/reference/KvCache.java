package dev.dojo.reference;

import ai.djl.ndarray.NDArray;

/**
 * The keys and values a decoder has seen so far, after RoPE: (B, H_kv, T_seen, D) each.
 * Mutable: each forward step appends its new keys and values.
 */
public final class KvCache {
    private NDArray keys;
    private NDArray values;

    /** How many positions are cached: the position of the next token. */
    public long length() {
        return keys == null ? 0 : keys.getShape().get(2);
    }

    /** Appends k, v: (B, H_kv, T_new, D) and returns all keys and values so far. */
    public NDArray[] append(NDArray k, NDArray v) {
        keys = keys == null ? k : keys.concat(k, 2);
        values = values == null ? v : values.concat(v, 2);
        return new NDArray[] {keys, values};
    }
}
