package dev.dojo.reference;

import ai.djl.ndarray.NDArray;

/** Self-attention that can decode step by step with a {@link KvCache}. */
public interface CachedAttention extends SelfAttention {
    /**
     * Attends from x's tokens to the cached ones and themselves; x's first token sits at position
     * {@code cache.length()}, and x's keys and values are appended to the cache.
     */
    NDArray forward(NDArray x, AttentionMask mask, KvCache cache);
}
