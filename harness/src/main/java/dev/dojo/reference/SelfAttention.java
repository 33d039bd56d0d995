package dev.dojo.reference;

import ai.djl.ndarray.NDArray;

/** A self-attention sublayer: (B, T, C) in, (B, T, C) out. */
public interface SelfAttention {
    NDArray forward(NDArray x, AttentionMask mask);
}
