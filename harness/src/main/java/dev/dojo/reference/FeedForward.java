package dev.dojo.reference;

import ai.djl.ndarray.NDArray;

/** A position-wise feed-forward sublayer: (..., C) in, (..., C) out. */
public interface FeedForward {
    NDArray forward(NDArray x);
}
