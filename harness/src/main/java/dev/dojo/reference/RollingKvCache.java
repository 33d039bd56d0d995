package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * Mistral's rolling KV cache for a sliding window of W: a buffer of W slots, where the key and value
 * of the token at position t (after RoPE) are written at slot t mod W, so it holds the last W
 * positions. Each step reads the cached positions oldest first and appends the new ones: the keys
 * the new tokens' windows can see, and older ones that their window mask hides.
 * B batch, H_kv key/value heads, D head size. Each step is a method of its own, which a subclass
 * may override.
 */
public class RollingKvCache extends KvCache {
    private final int window;
    private final NDArray[] keySlots;                  // slot s: (B, H_kv, 1, D)
    private final NDArray[] valueSlots;                // slot s: (B, H_kv, 1, D)
    private long length;

    /** An empty buffer of {@code window} slots. */
    public RollingKvCache(int window) {
        if (window <= 0) {
            throw new IllegalArgumentException("a rolling buffer needs at least one slot, got " + window);
        }
        this.window = window;
        this.keySlots = new NDArray[window];
        this.valueSlots = new NDArray[window];
    }

    /** W, the number of slots. */
    public int window() {
        return window;
    }

    @Override
    public long length() {
        return length;
    }

    /**
     * Appends k, v: (B, H_kv, T_new, D) at positions length().. and returns the keys and values
     * at positions max(0, length() - W) … length() + T_new - 1, oldest first: (B, H_kv, S, D) each.
     */
    @Override
    public NDArray[] append(NDArray k, NDArray v) {                        // k, v: (B, H_kv, T_new, D)
        long oldest = Math.max(0, length - window);
        NDArray keys = length == 0 ? k : read(keySlots, oldest, length).concat(k, 2);        // (B, H_kv, S, D)
        NDArray values = length == 0 ? v : read(valueSlots, oldest, length).concat(v, 2);  // (B, H_kv, S, D)
        long fresh = k.getShape().get(2);
        for (long i = Math.max(0, fresh - window); i < fresh; i++) {       // only the last W new ones stay
            NDIndex token = new NDIndex(":, :, {}:{}", i, i + 1);
            write(keySlots, length + i, k.get(token));                      // (B, H_kv, 1, D)
            write(valueSlots, length + i, v.get(token));                    // (B, H_kv, 1, D)
        }
        length += fresh;
        return new NDArray[] {keys, values};
    }

    /** The slot of the token at {@code position}: position mod W. */
    protected int slot(long position) {
        return Math.toIntExact(position % window);
    }

    /** Stores the key or value (B, H_kv, 1, D) of the token at {@code position} in its slot. */
    protected void write(NDArray[] slots, long position, NDArray token) {
        slots[slot(position)] = token;
    }

    /** The cached tokens at positions from … to - 1, oldest first: (B, H_kv, to - from, D). */
    protected NDArray read(NDArray[] slots, long from, long to) {
        NDList tokens = new NDList();
        for (long position = from; position < to; position++) {
            tokens.add(slots[slot(position)]);                              // (B, H_kv, 1, D)
        }
        return NDArrays.concat(tokens, 2);                                  // (B, H_kv, to - from, D)
    }
}
