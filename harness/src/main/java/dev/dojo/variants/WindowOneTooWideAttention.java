package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention whose sliding window keeps the keys with i - j ≤ W instead of i - j < W, so each query
 * sees W + 1 of them. A known-bad variant.
 */
final class WindowOneTooWideAttention extends Attention {

    WindowOneTooWideAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray mask(NDArray scores, AttentionMask mask, NDManager manager, long offset) {
        AttentionMask wider = mask.window() == 0 ? mask : mask.withWindow(mask.window() + 1);
        return super.mask(scores, wider, manager, offset);
    }
}
