package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.dojo.reference.RollingKvCache;

/**
 * A rolling KV cache that reads its slots in storage order, 0, 1, …, instead of oldest first: right
 * until the buffer wraps, then the keys come out of order, and the window mask, which counts
 * positions from the oldest, hides the wrong one. A known-bad variant.
 */
final class UnrotatedReadCache extends RollingKvCache {

    UnrotatedReadCache(int window) {
        super(window);
    }

    @Override
    protected NDArray read(NDArray[] slots, long from, long to) {
        NDList tokens = new NDList();
        for (int slot = 0; slot < to - from; slot++) {
            tokens.add(slots[slot]);
        }
        return NDArrays.concat(tokens, 2);
    }
}
