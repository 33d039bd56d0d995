package dev.dojo.report;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Rotary;

/**
 * Attention weights computed directly from q and k, for checking what {@link AttentionMaps} reads
 * out: softmax(Q Kᵀ / √D + bias). B batch, T tokens, H heads, H_kv KV heads, D head size.
 */
final class DirectAttention {
    private DirectAttention() {}

    /** The weights (B, H, T, T) with {@code mask}'s own bias, as the reference attention applies it. */
    static NDArray weights(Linear q, Linear k, int heads, int kvHeads, Rotary rope, NDArray x, AttentionMask mask) {
        long tokens = x.getShape().get(1);
        return weights(q, k, heads, kvHeads, rope, x, mask.bias(x.getManager(), tokens, tokens, 0));
    }

    /** The weights (B, H, T, T) with an additive score bias that broadcasts to (B, H, T, T). */
    static NDArray weights(Linear q, Linear k, int heads, int kvHeads, Rotary rope, NDArray x, NDArray bias) {
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        long headSize = q.out() / heads;
        NDArray qh = q.forward(x).reshape(batch, tokens, heads, headSize).transpose(0, 2, 1, 3);     // (B, H, T, D)
        NDArray kh = k.forward(x).reshape(batch, tokens, kvHeads, headSize).transpose(0, 2, 1, 3);   // (B, H_kv, T, D)
        if (rope != null) {
            qh = rope.apply(qh, 0);
            kh = rope.apply(kh, 0);
        }
        kh = kh.repeat(1, heads / kvHeads);                                                         // (B, H, T, D)
        NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2)).div(Math.sqrt(headSize));               // (B, H, T, T)
        return scores.add(bias).softmax(-1);
    }
}
