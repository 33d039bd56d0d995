// wrong fix: cuts every row of the flattened (B·T, C) into heads and moves the heads forward before splitting batch from tokens: right for a batch of one, but with several samples head h's block holds the tokens of sample 0, then of sample 1, so each sample's slots get other samples' tokens
package dev.dojo.katas.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;

/**
 * Causal self-attention as in GPT-2 and nanoGPT: one projection, c_attn, makes the queries, keys
 * and values; each query attends to the real tokens up to itself; c_proj mixes the heads. With a
 * KvCache, the new tokens also attend to the tokens of earlier calls, as in generation.
 * B batch, T new tokens, S keys (cached and new), H heads, D head size, C = H · D.
 */
public final class CausalSelfAttention implements CachedAttention {
    private final Linear cAttn;
    private final Linear cProj;
    private final int nHead;
    private final int headSize;

    /** c_attn: C → 3C, whose outputs are q, k and v in that order; c_proj: C → C. */
    public CausalSelfAttention(Linear cAttn, Linear cProj, int nHead) {
        long width = cAttn.in();
        if (cAttn.out() != 3 * width) {
            throw new IllegalArgumentException("c_attn must project the model width (" + width + ") to 3 · "
                    + width + " for q, k and v, got " + cAttn.out());
        }
        if (width % nHead != 0) {
            throw new IllegalArgumentException("heads (" + nHead + ") must divide the model width (" + width + ")");
        }
        this.cAttn = cAttn;
        this.cProj = cProj;
        this.nHead = nHead;
        this.headSize = Math.toIntExact(width / nHead);
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask) {
        return forward(x, mask, null);
    }

    /** x's tokens follow the cached ones and are appended to the cache; a padding mask covers all S keys. */
    @Override
    public NDArray forward(NDArray x, AttentionMask mask, KvCache cache) {        // x: (B, T, C)
        long past = cache == null ? 0 : cache.length();
        NDList qkv = cAttn.forward(x).split(3, 2);                                 // 3 × (B, T, C)
        NDArray q = heads(qkv.get(0));                                              // (B, H, T, D)
        NDArray k = heads(qkv.get(1));                                              // (B, H, T, D)
        NDArray v = heads(qkv.get(2));                                              // (B, H, T, D)
        if (cache != null) {
            NDArray[] seen = cache.append(k, v);                                    // (B, H, S, D) each
            k = seen[0];
            v = seen[1];
        }
        long queries = q.getShape().get(2);
        long keys = k.getShape().get(2);
        NDArray att = q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(headSize));  // (B, H, T, S)
        att = att.add(mask.bias(x.getManager(), queries, keys, past));              // (B, H, T, S)
        att = att.softmax(-1);                                                      // (B, H, T, S)
        NDArray y = att.matMul(v);                                                  // (B, H, T, D)
        y = y.transpose(0, 2, 1, 3).reshape(x.getShape());                          // (B, T, C)
        return cProj.forward(y);                                                    // (B, T, C)
    }

    /** (B, T, C) → (B, H, T, D). */
    private NDArray heads(NDArray x) {                                              // x: (B, T, C)
        Shape s = x.getShape();
        return x.reshape(-1, nHead, headSize).transpose(1, 0, 2)                     // (H, B·T, D)
                .reshape(s.get(0), nHead, s.get(1), headSize);                      // (B, H, T, D)
    }
}
