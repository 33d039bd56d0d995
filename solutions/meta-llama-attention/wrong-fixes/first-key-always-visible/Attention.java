// wrong fix: keeps the -inf mask and lets every query see key 0 so that no row is all -inf; with right padding key 0 is always a real token and nothing changes, but with left padding key 0 is a pad and every real token now attends to it
package dev.dojo.katas.metallama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;
import dev.dojo.reference.SelfAttention;

/**
 * The attention of Meta's reference Llama (llama/model.py, class Attention), with the padding mask
 * batched generation needs: n_heads query heads share n_kv_heads key/value heads (repeat_kv),
 * queries and keys are rotated, and an additive mask keeps each query to the real tokens up to itself.
 * B batch, T tokens, H query heads (n_heads), H_kv key/value heads (n_kv_heads), D head size (head_dim),
 * C = H · D.
 */
public final class Attention implements SelfAttention {
    private final Linear wq;
    private final Linear wk;
    private final Linear wv;
    private final Linear wo;
    private final int nHeads;
    private final int nKvHeads;
    private final int headDim;
    private final Rotary rope;

    /** wq: C → H·D, wk and wv: C → H_kv·D, wo: H·D → C; {@code rope} rotates D, or is null for none. */
    public Attention(Linear wq, Linear wk, Linear wv, Linear wo, int nHeads, int nKvHeads, Rotary rope) {
        if (nHeads % nKvHeads != 0 || wq.out() % nHeads != 0) {
            throw new IllegalArgumentException("n_kv_heads (" + nKvHeads + ") must divide n_heads (" + nHeads
                    + "), and n_heads the width (" + wq.out() + ")");
        }
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.nHeads = nHeads;
        this.nKvHeads = nKvHeads;
        this.headDim = Math.toIntExact(wq.out() / nHeads);
        this.rope = rope;
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask) {                          // x: (B, T, C)
        long bsz = x.getShape().get(0);
        long seqlen = x.getShape().get(1);
        NDArray xq = wq.forward(x).reshape(bsz, seqlen, nHeads, headDim).transpose(0, 2, 1, 3);    // (B, H, T, D)
        NDArray xk = wk.forward(x).reshape(bsz, seqlen, nKvHeads, headDim).transpose(0, 2, 1, 3);  // (B, H_kv, T, D)
        NDArray xv = wv.forward(x).reshape(bsz, seqlen, nKvHeads, headDim).transpose(0, 2, 1, 3);  // (B, H_kv, T, D)
        if (rope != null) {
            xq = rope.apply(xq, 0);                                                  // (B, H, T, D)
            xk = rope.apply(xk, 0);                                                  // (B, H_kv, T, D)
        }
        NDArray keys = repeatKv(xk);                                                 // (B, H, T, D)
        NDArray values = repeatKv(xv);                                               // (B, H, T, D)
        NDArray scores = xq.matMul(keys.transpose(0, 1, 3, 2)).div(Math.sqrt(headDim));  // (B, H, T, T)
        scores = scores.add(additiveMask(mask, x.getManager(), seqlen));             // (B, H, T, T)
        scores = scores.softmax(-1);                                                 // (B, H, T, T)
        NDArray output = scores.matMul(values);                                      // (B, H, T, D)
        output = output.transpose(0, 2, 1, 3).reshape(bsz, seqlen, -1);              // (B, T, C)
        return wo.forward(output);                                                   // (B, T, C)
    }

    /** repeat_kv: (B, H_kv, T, D) → (B, H, T, D), each key/value head serving H / H_kv query heads in a row. */
    private NDArray repeatKv(NDArray kv) {                                           // kv: (B, H_kv, T, D)
        return kv.repeat(1, nHeads / nKvHeads);                                      // (B, H, T, D)
    }

    /** 0 where a query may attend to a key, a masking score where it may not (a later token, a pad); (B or 1, 1, T, T). */
    private static NDArray additiveMask(AttentionMask mask, NDManager manager, long seqlen) {
        NDArray blocked = manager.zeros(new Shape(1, 1, seqlen, seqlen), DataType.BOOLEAN);  // (1, 1, T, T)
        if (mask.causal()) {
            NDArray rows = manager.arange(seqlen).reshape(seqlen, 1);               // (T, 1)
            NDArray cols = manager.arange(seqlen).reshape(1, seqlen);               // (1, T)
            blocked = blocked.logicalOr(cols.gt(rows));                             // (1, 1, T, T)
        }
        if (mask.padding() != null) {
            NDArray pads = mask.padding().toType(DataType.FLOAT32, false).eq(0f);    // (B, T)
            blocked = blocked.logicalOr(pads.reshape(-1, 1, 1, seqlen));             // (B, 1, T, T)
        }
        blocked = blocked.logicalAnd(manager.arange(seqlen).reshape(1, 1, 1, seqlen).gt(0));  // key 0 always visible
        Shape shape = blocked.getShape();
        return NDArrays.where(blocked, manager.full(shape, Float.NEGATIVE_INFINITY), manager.zeros(shape));
    }
}
