// wrong fix: drops the bias for pads and zeroes the pads' keys and values instead, so they 'contribute nothing'; a zeroed key still scores 0, not -1e9, so each pad keeps weight e^0 in the softmax and dilutes the real tokens' weights
package dev.dojo.katas.mask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.SelfAttention;

/**
 * Multi-head self-attention over a padded batch, as torch.nn.MultiheadAttention. The padding
 * mask is Hugging Face's attention_mask: 1 for a token, 0 for a pad.
 * B batch, T tokens, H heads, D head size, C = H · D.
 */
public final class PaddedSelfAttention implements SelfAttention {
    private final Linear wq;
    private final Linear wk;
    private final Linear wv;
    private final Linear wo;
    private final int heads;
    private final int headSize;

    public PaddedSelfAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads) {
        if (wq.out() % heads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must divide the model width (" + wq.out() + ")");
        }
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.heads = heads;
        this.headSize = Math.toIntExact(wq.out() / heads);
    }

    /** torch.nn.MultiheadAttention's packed in_proj_weight and in_proj_bias (q, k, v rows), and out_proj. */
    public static PaddedSelfAttention fromTorchMultihead(Parameters p, int heads) {
        NDList w = p.get("in_proj_weight").split(3, 0);
        NDList b = p.get("in_proj_bias").split(3, 0);
        return new PaddedSelfAttention(new Linear(w.get(0), b.get(0)), new Linear(w.get(1), b.get(1)),
                new Linear(w.get(2), b.get(2)), Linear.from(p.under("out_proj")), heads);
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask) {               // x: (B, T, C)
        NDArray q = split(wq.forward(x));                                  // (B, H, T, D)
        NDArray keep = mask.padding() == null ? null : mask.padding().toType(DataType.FLOAT32, false).expandDims(2);  // (B, T, 1)
        NDArray k = split(keep == null ? wk.forward(x) : wk.forward(x).mul(keep));                                  // (B, H, T, D)
        NDArray v = split(keep == null ? wv.forward(x) : wv.forward(x).mul(keep));                                  // (B, H, T, D)
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2))                 // (B, H, T, T)
                .div(Math.sqrt(headSize));
        scores = scores.add(bias(x.getManager(), mask, x.getShape().get(1)));  // (B, H, T, T)
        NDArray weights = scores.softmax(-1);                              // (B, H, T, T)
        NDArray context = weights.matMul(v);                               // (B, H, T, D)
        return wo.forward(merge(context));                                 // (B, T, C)
    }

    /** 0 where a query may attend to a key, AttentionMask.MASKED where it may not. */
    private static NDArray bias(NDManager manager, AttentionMask mask, long tokens) {
        NDArray bias = manager.zeros(new Shape(1, 1, tokens, tokens));                 // (1, 1, T, T)
        if (mask.causal()) {
            NDArray rows = manager.arange(tokens).reshape(tokens, 1);                  // (T, 1)
            NDArray cols = manager.arange(tokens).reshape(1, tokens);                  // (1, T)
            NDArray future = cols.gt(rows).toType(DataType.FLOAT32, false);            // (T, T)
            bias = bias.add(future.mul(AttentionMask.MASKED));                         // (1, 1, T, T)
        }
        return bias;
    }

    /** (B, T, C) → (B, H, T, D). */
    private NDArray split(NDArray x) {
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        return x.reshape(batch, tokens, heads, headSize).transpose(0, 2, 1, 3);
    }

    /** (B, H, T, D) → (B, T, C). */
    private static NDArray merge(NDArray context) {
        long batch = context.getShape().get(0);
        long tokens = context.getShape().get(2);
        return context.transpose(0, 2, 1, 3).reshape(batch, tokens, -1);
    }
}
