package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention whose sliding window measures the distance from the key to the query (j - i ≥ W) instead
 * of from the query back to the key: it cuts keys W or more ahead, which the causal mask already
 * hides, so every query sees all the keys before it. A known-bad variant.
 */
final class WindowOnWrongSideAttention extends Attention {

    WindowOnWrongSideAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
    }

    @Override
    protected NDArray mask(NDArray scores, AttentionMask mask, NDManager manager, long offset) {  // (B, H, T, S)
        if (mask.window() == 0) {
            return super.mask(scores, mask, manager, offset);
        }
        long queries = scores.getShape().get(2);
        long keys = scores.getShape().get(3);
        NDArray queryPositions = manager.arange(offset, offset + queries).reshape(queries, 1);              // (T, 1)
        NDArray keyPositions = manager.arange(offset + queries - keys, offset + queries).reshape(1, keys);  // (1, S)
        NDArray outside = keyPositions.sub(queryPositions).gte(mask.window())                              // (T, S)
                .toType(DataType.FLOAT32, false);
        NDArray window = outside.mul(AttentionMask.MASKED).reshape(1, 1, queries, keys);                  // (1, 1, T, S)
        return super.mask(scores, mask.withWindow(0), manager, offset).add(window);
    }
}
