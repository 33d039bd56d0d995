package dev.dojo.reference;

import ai.djl.ndarray.NDArray;

/** A decoder block with cross-attention: the target (B, T, C) and the encoder's memory (B, S, C) in, (B, T, C) out. */
public interface DecoderBlock {
    /** {@code targetMask} masks the target's self-attention, {@code memoryMask} the memory's keys. */
    NDArray forward(NDArray x, NDArray memory, AttentionMask targetMask, AttentionMask memoryMask);
}
