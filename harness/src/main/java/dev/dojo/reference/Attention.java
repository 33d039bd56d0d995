package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dojo.tensor.Seeded;

/**
 * Multi-head attention with grouped-query KV heads and optional RoPE: self-attention, with or
 * without a KV cache, and cross-attention to an encoder's memory.
 * B batch, T tokens, H query heads, H_kv key/value heads (dividing H), D head size, C = H · D.
 * H_kv = H is multi-head attention, H_kv = 1 multi-query attention; S keys seen (with a cache, or
 * the memory's tokens). Each step is a method of its own, which a subclass may override.
 */
public class Attention implements CachedAttention, CrossAttention {
    private final Linear wq;
    private final Linear wk;
    private final Linear wv;
    private final Linear wo;
    private final int heads;
    private final int kvHeads;
    private final int headSize;
    private final Rotary rope;

    /** Projections q (C→H·D), k and v (C→H_kv·D), o (H·D→C); {@code rope} may be null for none. */
    public Attention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope) {
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException("KV heads (" + kvHeads + ") must divide query heads (" + heads + ")");
        }
        if (wq.out() % heads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must divide the query width (" + wq.out() + ")");
        }
        this.headSize = Math.toIntExact(wq.out() / heads);
        if (wk.out() != (long) kvHeads * headSize || wv.out() != (long) kvHeads * headSize) {
            throw new IllegalArgumentException("k and v must project to KV heads · head size (" + kvHeads + " · "
                    + headSize + "), got " + wk.out() + " and " + wv.out());
        }
        if (rope != null && rope.headSize() != headSize) {
            throw new IllegalArgumentException("RoPE head size (" + rope.headSize() + ") must equal the head size ("
                    + headSize + ")");
        }
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.rope = rope;
    }

    /** {@code torch.nn.MultiheadAttention}'s packed {@code in_proj_weight}/{@code in_proj_bias} and {@code out_proj}. */
    public static Attention fromTorchMultihead(Parameters p, int heads) {
        NDList w = p.get("in_proj_weight").split(3, 0);
        NDList b = p.get("in_proj_bias").split(3, 0);
        return new Attention(new Linear(w.get(0), b.get(0)), new Linear(w.get(1), b.get(1)),
                new Linear(w.get(2), b.get(2)), Linear.from(p.under("out_proj")), heads, heads, null);
    }

    /** Llama's {@code q_proj}, {@code k_proj}, {@code v_proj}, {@code o_proj}. */
    public static Attention fromLlama(Parameters p, int heads, int kvHeads, Rotary rope) {
        return new Attention(Linear.from(p.under("q_proj")), Linear.from(p.under("k_proj")),
                Linear.from(p.under("v_proj")), Linear.from(p.under("o_proj")), heads, kvHeads, rope);
    }

    /** Random projections without bias, drawn from the streams under {@code name}. */
    public static Attention random(Seeded seeded, String name, int width, int heads, int kvHeads,
                                   Rotary rope) {
        long kvWidth = (long) width / heads * kvHeads;
        return new Attention(Linear.random(seeded, name + ".q_proj", width, width, false),
                Linear.random(seeded, name + ".k_proj", width, kvWidth, false),
                Linear.random(seeded, name + ".v_proj", width, kvWidth, false),
                Linear.random(seeded, name + ".o_proj", width, width, false), heads, kvHeads, rope);
    }

    @Override
    public final NDArray forward(NDArray x, AttentionMask mask) {
        return forward(x, mask, null);
    }

    /** As {@link CachedAttention#forward(NDArray, AttentionMask, KvCache)}; a null cache is a plain forward pass. */
    @Override
    public final NDArray forward(NDArray x, AttentionMask mask, KvCache cache) {  // x: (B, T, C)
        long offset = cache == null ? 0 : cache.length();
        NDArray q = split(wq.forward(x), heads);                              // (B, H, T, D)
        NDArray k = split(wk.forward(x), kvHeads);                            // (B, H_kv, T, D)
        NDArray v = split(wv.forward(x), kvHeads);                            // (B, H_kv, T, D)
        NDArray[] qkv = rotateAndCache(q, k, v, cache, offset);              // q (B, H, T, D); k, v (B, H_kv, S, D)
        k = repeatKv(qkv[1]);                                                 // (B, H, S, D)
        v = repeatKv(qkv[2]);                                                 // (B, H, S, D)
        NDArray context = context(qkv[0], k, v, mask, x.getManager(), offset);  // (B, H, T, D)
        return wo.forward(merge(context));                                    // (B, T, C)
    }

    /**
     * Cross-attention: x's tokens attend to the memory's, with no positions (no RoPE, no cache);
     * {@code memoryMask} holds the memory's padding, and may not be causal.
     */
    @Override
    public final NDArray forward(NDArray x, NDArray memory, AttentionMask memoryMask) {  // x: (B, T, C); memory: (B, S, C)
        if (memoryMask.causal()) {
            throw new IllegalArgumentException("cross-attention sees the whole memory: its mask is the memory's"
                    + " padding, not causal");
        }
        NDArray q = split(wq.forward(x), heads);                              // (B, H, T, D)
        NDArray k = repeatKv(split(wk.forward(memory), kvHeads));             // (B, H, S, D)
        NDArray v = repeatKv(split(wv.forward(memory), kvHeads));             // (B, H, S, D)
        NDArray context = context(q, k, v, memoryMask, x.getManager(), 0);   // (B, H, T, D)
        return wo.forward(merge(context));                                    // (B, T, C)
    }

    /** softmax(q kᵀ / √D + mask) v: each query's values, averaged with its attention weights over the keys. */
    protected NDArray context(NDArray q, NDArray k, NDArray v, AttentionMask mask, NDManager manager,
                              long offset) {                                  // q: (B, H, T, D); k, v: (B, H, S, D)
        NDArray scale = manager.create(Math.sqrt(headSize));                  // (): a tensor, see Autograd
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2))                    // (B, H, T, S)
                .div(scale)
                .toType(DataType.FLOAT32, false);                             // softmax in float32, as Llama's
        NDArray weights = weights(scores, mask, manager, offset)              // (B, H, T, S)
                .toType(v.getDataType(), false);
        return weights.matMul(v);                                             // (B, H, T, D)
    }

    /** The attention weights: the mask's bias added to the scores, then normalized over the keys. */
    protected NDArray weights(NDArray scores, AttentionMask mask, NDManager manager, long offset) {  // (B, H, T, S)
        return softmax(mask(scores, mask, manager, offset));                  // (B, H, T, S)
    }

    /** (B, T, n·D) → (B, n, T, D). */
    protected NDArray split(NDArray x, int n) {                               // x: (B, T, n·D)
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        return x.reshape(batch, tokens, n, headSize).transpose(0, 2, 1, 3);   // (B, n, T, D)
    }

    /** RoPE at the cache offset on q and k, then k and v appended to the cache: {q, all keys, all values}. */
    protected NDArray[] rotateAndCache(NDArray q, NDArray k, NDArray v, KvCache cache, long offset) {
        if (rope != null) {
            q = rope.apply(q, offset);                                        // (B, H, T, D)
            k = rope.apply(k, offset);                                        // (B, H_kv, T, D)
        }
        if (cache == null) {
            return new NDArray[] {q, k, v};
        }
        NDArray[] seen = cache.append(k, v);                                  // (B, H_kv, S, D) each
        return new NDArray[] {q, seen[0], seen[1]};
    }

    /** (B, H_kv, S, D) → (B, H, S, D): query head h reads KV head h / (H / H_kv). */
    protected NDArray repeatKv(NDArray kv) {                                  // kv: (B, H_kv, S, D)
        return kv.repeat(1, heads / kvHeads);                                 // (B, H, S, D)
    }

    /** Adds the mask's score bias: 0 where a query may attend, {@link AttentionMask#MASKED} elsewhere. */
    protected NDArray mask(NDArray scores, AttentionMask mask, NDManager manager, long offset) {  // (B, H, T, S)
        long queries = scores.getShape().get(2);
        long keys = scores.getShape().get(3);
        return scores.add(bias(mask, manager, queries, keys, offset));        // (B, H, T, S)
    }

    /**
     * The mask's score bias (B or 1, 1, T, S) for T queries at positions offset.. and S keys that
     * end at the last query: positions 0.. with a full cache, the newest ones with a rolling one.
     */
    protected final NDArray bias(AttentionMask mask, NDManager manager, long queries, long keys, long offset) {
        return mask.bias(manager, queries, keys, offset, offset + queries - keys);
    }

    /** Normalizes each query's scores over the keys. */
    protected NDArray softmax(NDArray scores) {                               // scores: (B, H, T, S)
        return scores.softmax(-1);                                            // (B, H, T, S)
    }

    /** (B, H, T, D) → (B, T, H·D). */
    protected NDArray merge(NDArray context) {                                // context: (B, H, T, D)
        long batch = context.getShape().get(0);
        long tokens = context.getShape().get(2);
        return context.transpose(0, 2, 1, 3).reshape(batch, tokens, -1);      // (B, T, H·D)
    }

    public int heads() {
        return heads;
    }

    public int kvHeads() {
        return kvHeads;
    }

    public int headSize() {
        return headSize;
    }

    public Linear wq() {
        return wq;
    }

    public Linear wk() {
        return wk;
    }

    public Linear wv() {
        return wv;
    }

    public Linear wo() {
        return wo;
    }

    public Rotary rope() {
        return rope;
    }

    /**
     * The reference attention with these weights and its output projection zeroed: its output is
     * always zero. A subclass's overridden steps are not carried over.
     */
    public Attention withZeroedOutput() {
        return new Attention(wq, wk, wv, wo.zeroed(), heads, kvHeads, rope);
    }
}
