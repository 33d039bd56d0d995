// wrong fix: with the copy fixed, also moves RoPE after the cache so that the cache holds raw keys; but the keys seen are then all rotated from the new tokens' offset, so every cached key gets the wrong position and decoding with the cache no longer equals the full pass
package dev.dojo.katas.falcon;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Multi-query attention, as in Falcon-7B and PaLM: H query heads share one key head and one value
 * head, so a decoder caches D numbers per token for its keys instead of H · D. Queries and keys are
 * rotated (RoPE). As in Falcon's own code, the heads are folded into the batch axis for the two
 * batched matmuls. B batch, T new tokens, S keys seen (cached and new), H query heads, D head size,
 * C model width.
 */
public final class FalconAttention implements CachedAttention {
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear dense;
    private final int heads;
    private final int headSize;
    private final Rotary rope;

    /** Projections query (C → H·D), key and value (C → D), dense (H·D → C); {@code rope} may be null for none. */
    public FalconAttention(Linear query, Linear key, Linear value, Linear dense, int heads, Rotary rope) {
        if (query.out() % heads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must divide the query width (" + query.out() + ")");
        }
        long headSize = query.out() / heads;
        if (key.out() != headSize || value.out() != headSize) {
            throw new IllegalArgumentException("key and value must each project to one head of size " + headSize
                    + ", got " + key.out() + " and " + value.out());
        }
        this.query = query;
        this.key = key;
        this.value = value;
        this.dense = dense;
        this.heads = heads;
        this.headSize = Math.toIntExact(headSize);
        this.rope = rope;
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask) {
        return forward(x, mask, null);
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask, KvCache cache) {                // x: (B, T, C)
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        long offset = cache == null ? 0 : cache.length();
        NDArray q = query.forward(x).reshape(batch, tokens, heads, headSize)             // (B, T, H, D)
                .transpose(0, 2, 1, 3);                                                  // (B, H, T, D)
        NDArray k = key.forward(x).expandDims(1);                                        // (B, 1, T, D)
        NDArray v = value.forward(x).expandDims(1);                                      // (B, 1, T, D)
        if (cache != null) {
            NDArray[] seen = cache.append(k, v);
            k = seen[0];                                                                 // (B, 1, S, D)
            v = seen[1];                                                                 // (B, 1, S, D)
        }
        if (rope != null) {
            q = rope.apply(q, offset);                                                   // (B, H, T, D)
            k = rope.apply(k, offset);                                                   // (B, 1, S, D)
        }
        long keys = k.getShape().get(2);
        q = q.reshape(batch * heads, tokens, headSize);                                  // (B·H, T, D)
        k = perQueryHead(k);                                                             // (B·H, S, D)
        v = perQueryHead(v);                                                             // (B·H, S, D)
        NDArray scores = q.matMul(k.transpose(0, 2, 1)).div(Math.sqrt(headSize))        // (B·H, T, S)
                .reshape(batch, heads, tokens, keys)                                     // (B, H, T, S)
                .add(mask.bias(x.getManager(), tokens, keys, offset));
        NDArray weights = scores.softmax(-1).reshape(batch * heads, tokens, keys);       // (B·H, T, S)
        NDArray context = weights.matMul(v).reshape(batch, heads, tokens, headSize);     // (B, H, T, D)
        context = context.transpose(0, 2, 1, 3).reshape(batch, tokens, -1);              // (B, T, H·D)
        return dense.forward(context);                                                   // (B, T, C)
    }

    /** The one key or value head of each sample, copied for that sample's H query heads. */
    private NDArray perQueryHead(NDArray kv) {                                            // kv: (B, 1, S, D)
        long keys = kv.getShape().get(2);
        NDArray copies = kv.tile(new long[] {1, heads, 1, 1});                           // (B, H, S, D)
        return copies.reshape(-1, keys, headSize);                                       // (B·H, S, D)
    }
}
