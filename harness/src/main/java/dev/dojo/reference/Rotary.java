package dev.dojo.reference;

import ai.djl.ndarray.NDArray;

/** A rotary position embedding: rotates x: (B, H, T, D) as if its first token sat at {@code offset}. */
public interface Rotary {
    NDArray apply(NDArray x, long offset);

    /** D, the head size it rotates. */
    int headSize();
}
