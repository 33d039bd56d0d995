package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.RollingKvCache;

/**
 * A rolling KV cache that picks the slot to write from how full the buffer is, min(t, W) mod W,
 * instead of the token's position t mod W: right until the buffer wraps, then every new token
 * overwrites slot 0 and the other slots keep stale tokens. A known-bad variant.
 */
final class WrapToSlotZeroCache extends RollingKvCache {

    WrapToSlotZeroCache(int window) {
        super(window);
    }

    @Override
    protected void write(NDArray[] slots, long position, NDArray token) {
        slots[Math.toIntExact(Math.min(position, window()) % window())] = token;
    }
}
