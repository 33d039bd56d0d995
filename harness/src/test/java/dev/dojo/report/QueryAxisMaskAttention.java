package dev.dojo.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.SelfAttention;

/**
 * A known-bad multi-head attention: it broadcasts the padding mask as (B, 1, T, 1), over queries
 * instead of keys. Every score of a pad query then shifts alike, which softmax ignores, so real
 * queries still attend to pads. B batch, T tokens, H heads, D head size, C = H · D.
 */
final class QueryAxisMaskAttention implements SelfAttention {
    private final Linear wq;
    private final Linear wk;
    private final Linear wv;
    private final Linear wo;
    private final int heads;
    private final long headSize;

    QueryAxisMaskAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads) {
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.heads = heads;
        this.headSize = wq.out() / heads;
    }

    /** The score bias it adds: the causal part as the reference, the padding over queries. */
    static NDArray bias(NDArray x, AttentionMask mask) {
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        NDArray bias = new AttentionMask(mask.causal(), null).bias(x.getManager(), tokens, tokens, 0);   // (1, 1, T, T)
        if (mask.padding() != null) {
            NDArray pads = mask.padding().toType(DataType.FLOAT32, false).neg().add(1f);                 // (B, T)
            bias = bias.add(pads.reshape(batch, 1, tokens, 1).mul(AttentionMask.MASKED));                // (B, 1, T, T)
        }
        return bias;
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask) {                   // x: (B, T, C)
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        NDArray q = wq.forward(x).reshape(batch, tokens, heads, headSize).transpose(0, 2, 1, 3);   // (B, H, T, D)
        NDArray k = wk.forward(x).reshape(batch, tokens, heads, headSize).transpose(0, 2, 1, 3);   // (B, H, T, D)
        NDArray v = wv.forward(x).reshape(batch, tokens, heads, headSize).transpose(0, 2, 1, 3);   // (B, H, T, D)
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(headSize));               // (B, H, T, T)
        NDArray weights = scores.add(bias(x, mask)).softmax(-1);                                    // (B, H, T, T)
        NDArray context = weights.matMul(v).transpose(0, 2, 1, 3).reshape(batch, tokens, -1);       // (B, T, C)
        return wo.forward(context);
    }
}
