package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * The reference attention's steps, each a method, so that a known-bad variant overrides the one
 * step it gets wrong and nothing else. Computes what {@code dev.dojo.reference.Attention} does.
 * B batch, T tokens, S keys seen, H query heads, H_kv key/value heads, D head size, C = H · D.
 */
abstract class AttentionVariant implements CachedAttention {
    protected final Linear wq;
    protected final Linear wk;
    protected final Linear wv;
    protected final Linear wo;
    protected final int heads;
    protected final int kvHeads;
    protected final int headSize;
    protected final Rotary rope;

    AttentionVariant(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
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
    public final NDArray forward(NDArray x, AttentionMask mask) {
        return forward(x, mask, null);
    }

    @Override
    public final NDArray forward(NDArray x, AttentionMask mask, KvCache cache) {  // x: (B, T, C)
        long offset = cache == null ? 0 : cache.length();
        NDArray q = split(wq.forward(x), heads);                              // (B, H, T, D)
        NDArray k = split(wk.forward(x), kvHeads);                            // (B, H_kv, T, D)
        NDArray v = split(wv.forward(x), kvHeads);                            // (B, H_kv, T, D)
        NDArray[] qkv = rotateAndCache(q, k, v, cache, offset);              // q (B, H, T, D); k, v (B, H_kv, S, D)
        q = qkv[0];
        k = repeatKv(qkv[1]);                                                 // (B, H, S, D)
        v = repeatKv(qkv[2]);                                                 // (B, H, S, D)
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2))                    // (B, H, T, S)
                .div(Math.sqrt(headSize))
                .toType(DataType.FLOAT32, false);                             // softmax in float32, as Llama's
        scores = mask(scores, mask, x.getManager(), offset);                  // (B, H, T, S)
        NDArray weights = softmax(scores).toType(v.getDataType(), false);     // (B, H, T, S)
        return wo.forward(merge(weights.matMul(v)));                          // (B, T, C)
    }

    /** (B, T, n·D) → (B, n, T, D). */
    protected NDArray split(NDArray x, int n) {
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        return x.reshape(batch, tokens, n, headSize).transpose(0, 2, 1, 3);
    }

    /** RoPE at the cache offset on q and k, then k and v appended to the cache: {q, all keys, all values}. */
    protected NDArray[] rotateAndCache(NDArray q, NDArray k, NDArray v, KvCache cache, long offset) {
        if (rope != null) {
            q = rope.apply(q, offset);
            k = rope.apply(k, offset);
        }
        if (cache == null) {
            return new NDArray[] {q, k, v};
        }
        NDArray[] seen = cache.append(k, v);
        return new NDArray[] {q, seen[0], seen[1]};
    }

    /** (B, H_kv, S, D) → (B, H, S, D): query head h reads KV head h / (H / H_kv). */
    protected NDArray repeatKv(NDArray kv) {
        return kv.repeat(1, heads / kvHeads);
    }

    /** Adds the mask's score bias: 0 where a query may attend, {@link AttentionMask#MASKED} elsewhere. */
    protected NDArray mask(NDArray scores, AttentionMask mask, NDManager manager, long offset) {
        return scores.add(mask.bias(manager, scores.getShape().get(2), scores.getShape().get(3), offset));
    }

    /** Normalizes each query's scores over the keys. */
    protected NDArray softmax(NDArray scores) {
        return scores.softmax(-1);
    }

    /** (B, H, T, D) → (B, T, H·D). */
    protected NDArray merge(NDArray context) {
        long batch = context.getShape().get(0);
        long tokens = context.getShape().get(2);
        return context.transpose(0, 2, 1, 3).reshape(batch, tokens, -1);
    }
}
