package dev.dojo.reference;

import ai.djl.ndarray.NDArray;

/** A transformer block: (B, T, C) in, (B, T, C) out. */
public interface Block {
    NDArray forward(NDArray x, AttentionMask mask);
}
