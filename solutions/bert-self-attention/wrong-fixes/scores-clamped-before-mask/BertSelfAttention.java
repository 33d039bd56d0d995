// wrong fix: softmax over the keys, with the raw scores clamped to [-30, 30] before the mask as a guard against exp overflow; right while every score is small, but a trained head whose logits pass 30 gets its sharp rows flattened (two keys at 35 and 60 weigh the same)
package dev.dojo.katas.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.SelfAttention;

/**
 * The self-attention of a BERT encoder layer, ported from Hugging Face's BertSelfAttention, with the
 * dense projection of BertSelfOutput (its dropout, residual and LayerNorm belong to the layer). Each
 * token attends to every real token of its sentence, or, given a causal mask, to those up to itself.
 * B batch, T tokens, H heads (num_attention_heads), D head size (attention_head_size), C = H · D.
 */
public final class BertSelfAttention implements SelfAttention {
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear dense;
    private final int numAttentionHeads;
    private final int attentionHeadSize;

    public BertSelfAttention(Linear query, Linear key, Linear value, Linear dense, int numAttentionHeads) {
        if (query.out() % numAttentionHeads != 0) {
            throw new IllegalArgumentException("The hidden size (" + query.out()
                    + ") is not a multiple of the number of attention heads (" + numAttentionHeads + ")");
        }
        this.query = query;
        this.key = key;
        this.value = value;
        this.dense = dense;
        this.numAttentionHeads = numAttentionHeads;
        this.attentionHeadSize = Math.toIntExact(query.out() / numAttentionHeads);
    }

    @Override
    public NDArray forward(NDArray hiddenStates, AttentionMask mask) {                         // (B, T, C)
        long tokens = hiddenStates.getShape().get(1);
        NDArray queryLayer = transposeForScores(query.forward(hiddenStates));                  // (B, H, T, D)
        NDArray keyLayer = transposeForScores(key.forward(hiddenStates));                      // (B, H, T, D)
        NDArray valueLayer = transposeForScores(value.forward(hiddenStates));                  // (B, H, T, D)

        NDArray attentionScores = queryLayer.matMul(keyLayer.transpose(0, 1, 3, 2));           // (B, H, T, T)
        attentionScores = attentionScores.div(Math.sqrt(attentionHeadSize)).clip(-30f, 30f);   // (B, H, T, T)
        NDArray extendedAttentionMask = mask.bias(hiddenStates.getManager(), tokens, tokens, 0); // (B or 1, 1, T, T)
        attentionScores = attentionScores.add(extendedAttentionMask);                          // (B, H, T, T)
        NDArray attentionProbs = attentionScores.softmax(-1);                                  // (B, H, T, T)

        NDArray contextLayer = attentionProbs.matMul(valueLayer);                              // (B, H, T, D)
        contextLayer = contextLayer.transpose(0, 2, 1, 3);                                     // (B, T, H, D)
        Shape s = contextLayer.getShape();
        contextLayer = contextLayer.reshape(s.get(0), s.get(1), (long) numAttentionHeads * attentionHeadSize); // (B, T, C)
        return dense.forward(contextLayer);                                                    // (B, T, C)
    }

    /** (B, T, C) → (B, H, T, D). */
    private NDArray transposeForScores(NDArray x) {                                            // x: (B, T, C)
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), numAttentionHeads, attentionHeadSize)            // (B, T, H, D)
                .transpose(0, 2, 1, 3);                                                        // (B, H, T, D)
    }
}
