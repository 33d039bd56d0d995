package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention whose KV cache stores keys before RoPE, then rotates every cached key as if the first sat
 * at the current offset. A known-bad variant.
 * B batch, T tokens, H query heads, H_kv key/value heads, D head size, C = H · D.
 */
final class RotateCachedKeysAttention implements CachedAttention {
    private final Linear wq;
    private final Linear wk;
    private final Linear wv;
    private final Linear wo;
    private final int heads;
    private final int kvHeads;
    private final int headSize;
    private final Rotary rope;

    RotateCachedKeysAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headSize = Math.toIntExact(wq.out() / heads);
        this.rope = rope;
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask) {
        return forward(x, mask, null);
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask, KvCache cache) {   // x: (B, T, C)
        long offset = cache == null ? 0 : cache.length();
        NDArray q = split(wq.forward(x), heads);                              // (B, H, T, D)
        NDArray k = split(wk.forward(x), kvHeads);                            // (B, H_kv, T, D)
        NDArray v = split(wv.forward(x), kvHeads);                            // (B, H_kv, T, D)
        if (cache != null) {
            NDArray[] seen = cache.append(k, v);
            k = seen[0];                                                      // (B, H_kv, S, D)
            v = seen[1];                                                      // (B, H_kv, S, D)
        }
        if (rope != null) {
            q = rope.apply(q, offset);
            k = rope.apply(k, offset);
        }
        k = k.repeat(1, heads / kvHeads);                                     // (B, H, S, D)
        v = v.repeat(1, heads / kvHeads);                                     // (B, H, S, D)
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2))                    // (B, H, T, S)
                .div(Math.sqrt(headSize));
        long queries = q.getShape().get(2);
        long keys = k.getShape().get(2);
        scores = scores.toType(DataType.FLOAT32, false)                       // softmax in float32, as Llama's
                .add(mask.bias(x.getManager(), queries, keys, offset));
        NDArray weights = scores.softmax(-1).toType(v.getDataType(), false);  // (B, H, T, S)
        NDArray context = weights.matMul(v);                                  // (B, H, T, D)
        return wo.forward(merge(context));                                    // (B, T, C)
    }

    /** (B, T, n·D) → (B, n, T, D). */
    private NDArray split(NDArray x, int n) {
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        return x.reshape(batch, tokens, n, headSize).transpose(0, 2, 1, 3);
    }

    /** (B, H, T, D) → (B, T, H·D). */
    private static NDArray merge(NDArray heads) {
        long batch = heads.getShape().get(0);
        long tokens = heads.getShape().get(2);
        return heads.transpose(0, 2, 1, 3).reshape(batch, tokens, -1);
    }
}
