// wrong fix: 'the window is one too wide' so it subtracts one more from the query position, keeping j < i - (W + 1): that lowers the edge instead of raising it, and each query now sees W + 2 keys instead of W
package dev.dojo.katas.mistral;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Mistral's attention, after Mistral AI's reference code: grouped-query attention with RoPE whose
 * causal mask is banded to a sliding window, so that each token attends to the last W positions,
 * itself included. With a rolling KV cache only the last W positions are kept.
 * B batch, T new tokens, S keys seen (cached and new), H query heads, H_kv key/value heads,
 * R = H / H_kv, D head size, C = H · D, W the sliding window.
 */
public final class MistralAttention implements CachedAttention {
    private final Linear wq;
    private final Linear wk;
    private final Linear wv;
    private final Linear wo;
    private final int nHeads;
    private final int nKvHeads;
    private final int repeats;
    private final int headDim;
    private final double scale;
    private final Rotary rope;

    /** Projections q (C → H·D), k and v (C → H_kv·D), o (H·D → C); {@code rope} rotates D, or is null for none. */
    public MistralAttention(Linear wq, Linear wk, Linear wv, Linear wo, int nHeads, int nKvHeads, Rotary rope) {
        if (nHeads % nKvHeads != 0) {
            throw new IllegalArgumentException("KV heads (" + nKvHeads + ") must divide query heads (" + nHeads + ")");
        }
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.nHeads = nHeads;
        this.nKvHeads = nKvHeads;
        this.repeats = nHeads / nKvHeads;
        this.headDim = Math.toIntExact(wq.out() / nHeads);
        this.scale = 1 / Math.sqrt(headDim);
        this.rope = rope;
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask) {
        return forward(x, mask, null);
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask, KvCache cache) {                   // x: (B, T, C)
        long bsz = x.getShape().get(0);
        long seqlen = x.getShape().get(1);
        long start = cache == null ? 0 : cache.length();
        NDArray xq = wq.forward(x).reshape(bsz, seqlen, nHeads, headDim).transpose(0, 2, 1, 3);     // (B, H, T, D)
        NDArray xk = wk.forward(x).reshape(bsz, seqlen, nKvHeads, headDim).transpose(0, 2, 1, 3);   // (B, H_kv, T, D)
        NDArray xv = wv.forward(x).reshape(bsz, seqlen, nKvHeads, headDim).transpose(0, 2, 1, 3);   // (B, H_kv, T, D)
        if (rope != null) {
            xq = rope.apply(xq, start);                                                   // (B, H, T, D)
            xk = rope.apply(xk, start);                                                   // (B, H_kv, T, D)
        }
        NDArray[] kv = cache == null ? new NDArray[] {xk, xv} : cache.append(xk, xv);     // (B, H_kv, S, D) each
        NDArray key = kv[0].repeat(1, repeats);                                           // (B, H, S, D)
        NDArray value = kv[1].repeat(1, repeats);                                         // (B, H, S, D)
        NDArray scores = xq.matMul(key.transpose(0, 1, 3, 2)).mul(scale);                 // (B, H, T, S)
        scores = scores.add(bias(mask, x.getManager(), start, seqlen, key.getShape().get(2)));   // (B, H, T, S)
        NDArray output = scores.softmax(-1).matMul(value);                                // (B, H, T, D)
        return wo.forward(output.transpose(0, 2, 1, 3).reshape(bsz, seqlen, -1));        // (B, T, C)
    }

    /** The score bias (B or 1, 1, T, S): {@link AttentionMask#MASKED} for each rule that hides key j from query i. */
    private static NDArray bias(AttentionMask mask, NDManager manager, long start, long seqlen, long keys) {
        NDArray i = manager.arange(start, start + seqlen).reshape(seqlen, 1);                 // (T, 1) query positions
        NDArray j = manager.arange(start + seqlen - keys, start + seqlen).reshape(1, keys);   // (1, S) key positions
        NDArray hidden = manager.zeros(new Shape(seqlen, keys));                              // (T, S)
        if (mask.causal()) {
            hidden = hidden.add(j.gt(i).toType(DataType.FLOAT32, false));                     // (T, S)
        }
        if (mask.window() > 0) {
            hidden = hidden.add(j.lt(i.sub(mask.window() + 1)).toType(DataType.FLOAT32, false)); // (T, S)
        }
        NDArray bias = hidden.mul(AttentionMask.MASKED).reshape(1, 1, seqlen, keys);         // (1, 1, T, S)
        if (mask.padding() == null) {
            return bias;
        }
        long columns = mask.padding().getShape().get(1);
        NDArray padding = mask.padding().get(new NDIndex(":, {}:", columns - keys));         // (B, S)
        NDArray pads = padding.toType(DataType.FLOAT32, false).neg().add(1);                // (B, S): 1 = pad
        return bias.add(pads.mul(AttentionMask.MASKED).reshape(-1, 1, 1, keys));            // (B, 1, T, S)
    }
}
