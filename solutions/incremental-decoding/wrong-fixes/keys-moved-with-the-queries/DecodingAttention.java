// wrong fix: rotates the new keys at the queries' position, the cache length after this call, since RoPE's scores see only the difference of the two: a prompt through an empty cache is right, but the cache holds keys rotated T positions too far, and each later call's keys and queries are off by their own T
package dev.dojo.katas.decoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * The self-attention of a Llama-style decoder, as an inference engine runs it: the prompt, then
 * one token per step, each step's rotated keys and values kept in a KV cache. Without a cache it is
 * one causal pass over the whole sequence.
 * B batch, T new tokens, S tokens seen (cached and new), H query heads, H_kv key/value heads,
 * G = H / H_kv, D head size, C = H · D.
 */
public final class DecodingAttention implements CachedAttention {
    private final Linear queryProj;
    private final Linear keyProj;
    private final Linear valueProj;
    private final Linear outProj;
    private final int numHeads;
    private final int numKvHeads;
    private final int headSize;
    private final Rotary rotary;

    /** Projections q (C → H·D), k and v (C → H_kv·D), o (H·D → C); {@code rotary} turns D, or is null for none. */
    public DecodingAttention(Linear queryProj, Linear keyProj, Linear valueProj, Linear outProj, int numHeads,
                             int numKvHeads, Rotary rotary) {
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("KV heads (" + numKvHeads + ") must divide query heads (" + numHeads
                    + ")");
        }
        this.queryProj = queryProj;
        this.keyProj = keyProj;
        this.valueProj = valueProj;
        this.outProj = outProj;
        this.numHeads = numHeads;
        this.numKvHeads = numKvHeads;
        this.headSize = Math.toIntExact(queryProj.out() / numHeads);
        this.rotary = rotary;
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask) {
        return forward(x, mask, null);
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask, KvCache cache) {                 // x: (B, T, C)
        NDArray key = rotate(splitHeads(keyProj.forward(x), numKvHeads),                     // (B, H_kv, T, D)
                cached(cache) + x.getShape().get(1));
        NDArray value = splitHeads(valueProj.forward(x), numKvHeads);                        // (B, H_kv, T, D)
        if (cache != null) {
            NDArray[] present = cache.append(key, value);
            key = present[0];                                                                // (B, H_kv, S, D)
            value = present[1];                                                              // (B, H_kv, S, D)
        }
        NDArray query = rotate(splitHeads(queryProj.forward(x), numHeads), cached(cache));   // (B, H, T, D)
        NDArray context = attend(query, key.repeat(1, numHeads / numKvHeads),
                value.repeat(1, numHeads / numKvHeads), mask, x.getManager());             // (B, H, T, D)
        return outProj.forward(mergeHeads(context));                                         // (B, T, C)
    }

    /** softmax(q kᵀ / √D + mask) v, for T queries that are the last T of the S positions seen. */
    private NDArray attend(NDArray query, NDArray key, NDArray value, AttentionMask mask, NDManager manager) {
        long tokens = query.getShape().get(2);
        long seen = key.getShape().get(2);
        NDArray scores = query.matMul(key.transpose(0, 1, 3, 2)).div(Math.sqrt(headSize));  // (B, H, T, S)
        scores = scores.add(mask.bias(manager, tokens, seen, seen - tokens));               // (B, H, T, S)
        return scores.softmax(-1).matMul(value);                                            // (B, H, T, D)
    }

    /** The number of tokens in the cache: 0 without one. */
    private static long cached(KvCache cache) {
        return cache == null ? 0 : cache.length();
    }

    /** RoPE, with the first of the T tokens at {@code position}. */
    private NDArray rotate(NDArray x, long position) {                                       // x: (B, n, T, D)
        return rotary == null ? x : rotary.apply(x, position);                               // (B, n, T, D)
    }

    /** (B, T, n·D) → (B, n, T, D). */
    private NDArray splitHeads(NDArray x, int n) {                                           // x: (B, T, n·D)
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        return x.reshape(batch, tokens, n, headSize).transpose(0, 2, 1, 3);                  // (B, n, T, D)
    }

    /** (B, H, T, D) → (B, T, H·D). */
    private static NDArray mergeHeads(NDArray x) {                                           // x: (B, H, T, D)
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(2);
        return x.transpose(0, 2, 1, 3).reshape(batch, tokens, -1);                           // (B, T, H·D)
    }
}
