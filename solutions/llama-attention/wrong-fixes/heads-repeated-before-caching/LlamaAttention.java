// wrong fix: repeats the KV heads before caching them: every output is right, but the cache holds all H query heads, G times the memory grouped-query attention exists to save, and no other implementation can continue it
package dev.dojo.katas.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.Rotary;

/**
 * Llama's self-attention, as LlamaAttention in Hugging Face transformers: H query heads share
 * H_kv key/value heads, queries and keys are rotated (RoPE), and a KV cache serves decoding.
 * B batch, T new tokens, S keys seen (cached and new), H query heads, H_kv key/value heads,
 * G = H / H_kv, D head size, C = H · D.
 */
public final class LlamaAttention implements CachedAttention {
    private final Linear wq;
    private final Linear wk;
    private final Linear wv;
    private final Linear wo;
    private final int heads;
    private final int kvHeads;
    private final int headSize;
    private final Rotary rope;

    /** Projections q (C → H·D), k and v (C → H_kv·D), o (H·D → C); {@code rope} rotates D, or is null for none. */
    public LlamaAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("KV heads (" + kvHeads + ") must divide query heads (" + heads + ")");
        }
        if (wq.out() % heads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must divide the model width (" + wq.out() + ")");
        }
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headSize = Math.toIntExact(wq.out() / heads);
        this.rope = rope;
    }

    /** Hugging Face's q_proj, k_proj, v_proj and o_proj. */
    public static LlamaAttention fromLlama(Parameters p, int heads, int kvHeads, Rotary rope) {
        return new LlamaAttention(Linear.from(p.under("q_proj")), Linear.from(p.under("k_proj")),
                Linear.from(p.under("v_proj")), Linear.from(p.under("o_proj")), heads, kvHeads, rope);
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask) {
        return forward(x, mask, null);
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask, KvCache cache) {           // x: (B, T, C)
        long offset = cache == null ? 0 : cache.length();
        NDArray q = split(wq.forward(x), heads);                                      // (B, H, T, D)
        NDArray k = split(wk.forward(x), kvHeads);                                    // (B, H_kv, T, D)
        NDArray v = split(wv.forward(x), kvHeads);                                    // (B, H_kv, T, D)
        if (rope != null) {
            q = rope.apply(q, offset);                                                // (B, H, T, D)
            k = rope.apply(k, offset);                                                // (B, H_kv, T, D)
        }
        k = repeatKv(k);                                                              // (B, H, T, D)
        v = repeatKv(v);                                                              // (B, H, T, D)
        if (cache != null) {
            NDArray[] seen = cache.append(k, v);
            k = seen[0];                                                              // (B, H_kv, S, D)
            v = seen[1];                                                              // (B, H_kv, S, D)
        }
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(headSize));  // (B, H, T, S)
        long tokens = scores.getShape().get(2);
        long keys = scores.getShape().get(3);
        scores = scores.add(mask.bias(x.getManager(), tokens, keys, offset));        // (B, H, T, S)
        NDArray weights = scores.softmax(-1);                                         // (B, H, T, S)
        NDArray context = weights.matMul(v);                                          // (B, H, T, D)
        return wo.forward(merge(context));                                            // (B, T, C)
    }

    /** (B, T, n·D) → (B, n, T, D). */
    private NDArray split(NDArray x, int n) {                                          // x: (B, T, n·D)
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        return x.reshape(batch, tokens, n, headSize).transpose(0, 2, 1, 3);           // (B, n, T, D)
    }

    /** Hugging Face's repeat_kv: (B, H_kv, S, D) → (B, H, S, D), one key/value head per query head. */
    private NDArray repeatKv(NDArray kv) {                                             // kv: (B, H_kv, S, D)
        long batch = kv.getShape().get(0);
        long seen = kv.getShape().get(2);
        long group = heads / kvHeads;
        return kv.expandDims(2)                                                       // (B, H_kv, 1, S, D)
                .broadcast(new Shape(batch, kvHeads, group, seen, headSize))          // (B, H_kv, G, S, D)
                .reshape(batch, heads, seen, headSize);                               // (B, H, S, D)
    }

    /** (B, H, T, D) → (B, T, C). */
    private static NDArray merge(NDArray context) {                                    // context: (B, H, T, D)
        long batch = context.getShape().get(0);
        long tokens = context.getShape().get(2);
        return context.transpose(0, 2, 1, 3).reshape(batch, tokens, -1);             // (B, T, C)
    }
}
