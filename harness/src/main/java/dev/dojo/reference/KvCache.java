package dev.dojo.reference;

import ai.djl.ndarray.NDArray;

/**
 * The keys and values a decoder has seen so far, after RoPE: (B, H_kv, T_seen, D) each.
 * Mutable: each forward step appends its new keys and values. {@link RollingKvCache} keeps only
 * the newest of them.
 */
public class KvCache {
    private NDArray keys;
    private NDArray values;

    /** How many positions have been appended: the position of the next token. */
    public long length() {
        return keys == null ? 0 : keys.getShape().get(2);
    }

    /**
     * Appends k, v: (B, H_kv, T_new, D) and returns the keys and values the new tokens attend to,
     * the newest S positions up to the last new one: here all of them, S = {@link #length()}.
     */
    public NDArray[] append(NDArray k, NDArray v) {
        keys = keys == null ? k : keys.concat(k, 2);
        values = values == null ? v : values.concat(v, 2);
        return new NDArray[] {keys, values};
    }
}
