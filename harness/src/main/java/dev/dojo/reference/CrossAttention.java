package dev.dojo.reference;

import ai.djl.ndarray.NDArray;

/** Cross-attention: queries from the decoder stream x (B, T, C), keys and values from an encoder's memory (B, S, C). */
public interface CrossAttention {
    /** Each of x's tokens attends to the memory's tokens that {@code memoryMask} (the memory's padding) leaves visible. */
    NDArray forward(NDArray x, NDArray memory, AttentionMask memoryMask);
}
