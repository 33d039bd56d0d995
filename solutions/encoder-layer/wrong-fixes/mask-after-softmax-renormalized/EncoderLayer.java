// wrong fix: softmax over the keys without the mask, then the masked keys' weights zeroed and each row renormalized (with 1e-9 in the denominator against 0 / 0); equal on ordinary scores, but a pad key that scores far above the real ones underflows their weights to 0, and a query that sees no key gets an all-zero row
package dev.dojo.katas.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Block;
import dev.dojo.reference.FeedForward;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Norm;

/**
 * A pre-norm Transformer encoder layer, ported from torch.nn.TransformerEncoderLayer(norm_first=True):
 * multi-head self-attention with torch's packed in-projection, then a feed-forward network, each
 * reading a normalized copy of the residual stream and adding its output back to it. The padding
 * mask is Hugging Face's attention_mask (1 for a token, 0 for a pad); the causal mask is optional.
 * B batch, T tokens, H heads, D head size, C = H · D model width.
 */
public final class EncoderLayer implements Block {
    private final Norm norm1;
    private final Linear inProj;
    private final Linear outProj;
    private final int heads;
    private final int headSize;
    private final Norm norm2;
    private final FeedForward feedForward;

    /** inProj: C → 3C, whose outputs are q, k and v in that order (torch's in_proj_weight); outProj: C → C. */
    public EncoderLayer(Norm norm1, Linear inProj, Linear outProj, int heads, Norm norm2, FeedForward feedForward) {
        long width = inProj.in();
        if (inProj.out() != 3 * width) {
            throw new IllegalArgumentException("in_proj must project the model width (" + width + ") to 3 · " + width
                    + " for q, k and v, got " + inProj.out());
        }
        if (width % heads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must divide the model width (" + width + ")");
        }
        this.norm1 = norm1;
        this.inProj = inProj;
        this.outProj = outProj;
        this.heads = heads;
        this.headSize = Math.toIntExact(width / heads);
        this.norm2 = norm2;
        this.feedForward = feedForward;
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask) {                           // x: (B, T, C)
        NDArray h = x.add(selfAttention(norm1.forward(x), mask));                    // (B, T, C)
        return h.add(feedForward.forward(norm2.forward(h)));                         // (B, T, C)
    }

    private NDArray selfAttention(NDArray x, AttentionMask mask) {                   // x: (B, T, C)
        NDList qkv = inProj.forward(x).split(3, 2);                                  // 3 × (B, T, C)
        NDArray q = split(qkv.get(0));                                               // (B, H, T, D)
        NDArray k = split(qkv.get(1));                                               // (B, H, T, D)
        NDArray v = split(qkv.get(2));                                               // (B, H, T, D)
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(headSize)); // (B, H, T, T)
        NDArray visible = bias(mask, x.getManager(), x.getShape().get(1)).eq(0f).toType(DataType.FLOAT32, false); // (B or 1, 1, T, T)
        NDArray weights = scores.softmax(3).mul(visible);                            // (B, H, T, T)
        weights = weights.div(weights.sum(new int[] {3}, true).add(1e-9f));          // (B, H, T, T)
        NDArray context = weights.matMul(v);                                         // (B, H, T, D)
        return outProj.forward(merge(context));                                      // (B, T, C)
    }

    /** What the mask adds to the scores: 0 where a query may attend to a key, large and negative where not. */
    private static NDArray bias(AttentionMask mask, NDManager manager, long tokens) {
        NDArray visible = manager.ones(new Shape(1, 1, tokens, tokens));            // (1, 1, T, T): 1 = visible
        if (mask.causal()) {
            NDArray position = manager.arange(tokens);                               // (T)
            NDArray past = position.reshape(tokens, 1).gte(position.reshape(1, tokens));  // (T, T): key ≤ query
            visible = visible.mul(past.toType(DataType.FLOAT32, false));             // (1, 1, T, T)
        }
        if (mask.padding() != null) {
            long batch = mask.padding().getShape().get(0);
            NDArray real = mask.padding().toType(DataType.FLOAT32, false);           // (B, T)
            visible = visible.mul(real.reshape(batch, 1, 1, tokens));                // (B, 1, T, T)
        }
        return visible.neg().add(1f).mul(AttentionMask.MASKED);                      // (B or 1, 1, T, T)
    }

    /** (B, T, C) → (B, H, T, D). */
    private NDArray split(NDArray x) {                                               // x: (B, T, C)
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        return x.reshape(batch, tokens, heads, headSize).transpose(0, 2, 1, 3);     // (B, H, T, D)
    }

    /** (B, H, T, D) → (B, T, C). */
    private static NDArray merge(NDArray context) {                                  // context: (B, H, T, D)
        long batch = context.getShape().get(0);
        long tokens = context.getShape().get(2);
        return context.transpose(0, 2, 1, 3).reshape(batch, tokens, -1);            // (B, T, C)
    }
}
