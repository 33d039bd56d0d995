// wrong fix: adds (1 - mask) times -10000, the constant of early BERT and GPT-2 ports, instead of MASKED; finite, but once the scores are more than 10000 apart a masked key (a later token, a pad) outscores the visible ones
package dev.dojo.katas.opt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;

/**
 * The self-attention of Meta's OPT decoder, ported from Hugging Face's OPTAttention: the queries are
 * scaled before the product, and the heads are folded into the batch for the two batched matrix
 * products. Each token attends to the real tokens up to itself; with a KvCache, also to those of
 * earlier calls, as in generation.
 * B batch, T new tokens, S keys seen (cached and new), H heads (num_heads), D head size (head_dim),
 * C = H · D (embed_dim).
 */
public final class OptAttention implements CachedAttention {
    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear outProj;
    private final int numHeads;
    private final int headDim;
    private final double scaling;

    public OptAttention(Linear qProj, Linear kProj, Linear vProj, Linear outProj, int numHeads) {
        if (qProj.out() % numHeads != 0) {
            throw new IllegalArgumentException("embed_dim must be divisible by num_heads (got `embed_dim`: "
                    + qProj.out() + " and `num_heads`: " + numHeads + ")");
        }
        this.qProj = qProj;
        this.kProj = kProj;
        this.vProj = vProj;
        this.outProj = outProj;
        this.numHeads = numHeads;
        this.headDim = Math.toIntExact(qProj.out() / numHeads);
        this.scaling = Math.pow(headDim, -0.5);
    }

    @Override
    public NDArray forward(NDArray hiddenStates, AttentionMask mask) {
        return forward(hiddenStates, mask, null);
    }

    /** The new tokens follow the cached ones; a padding mask covers all S keys, cached and new. */
    @Override
    public NDArray forward(NDArray hiddenStates, AttentionMask mask, KvCache cache) {   // (B, T, C)
        long bsz = hiddenStates.getShape().get(0);
        long tgtLen = hiddenStates.getShape().get(1);
        long past = cache == null ? 0 : cache.length();
        NDArray queryStates = qProj.forward(hiddenStates).mul(scaling);                  // (B, T, C)
        NDArray keyStates = shape(kProj.forward(hiddenStates));                          // (B, H, T, D)
        NDArray valueStates = shape(vProj.forward(hiddenStates));                        // (B, H, T, D)
        if (cache != null) {
            NDArray[] seen = cache.append(keyStates, valueStates);
            keyStates = seen[0];                                                         // (B, H, S, D)
            valueStates = seen[1];                                                       // (B, H, S, D)
        }
        long srcLen = keyStates.getShape().get(2);
        queryStates = shape(queryStates).reshape(bsz * numHeads, tgtLen, headDim);       // (B·H, T, D)
        keyStates = keyStates.reshape(bsz * numHeads, srcLen, headDim);                  // (B·H, S, D)
        valueStates = valueStates.reshape(bsz * numHeads, srcLen, headDim);              // (B·H, S, D)
        NDArray attentionMask = attentionMask(mask, hiddenStates.getManager(), tgtLen, srcLen, past);

        NDArray attnWeights = queryStates.matMul(keyStates.transpose(0, 2, 1));          // (B·H, T, S)
        attnWeights = attnWeights.reshape(bsz, numHeads, tgtLen, srcLen)                 // (B, H, T, S)
                .add(attentionMask.neg().add(1f).mul(-10000f))
                .reshape(bsz * numHeads, tgtLen, srcLen);                                // (B·H, T, S)
        attnWeights = attnWeights.softmax(-1);                                           // (B·H, T, S)
        NDArray attnOutput = attnWeights.matMul(valueStates);                            // (B·H, T, D)
        attnOutput = attnOutput.reshape(bsz, numHeads, tgtLen, headDim)                  // (B, H, T, D)
                .transpose(0, 2, 1, 3)                                                   // (B, T, H, D)
                .reshape(bsz, tgtLen, (long) numHeads * headDim);                        // (B, T, C)
        return outProj.forward(attnOutput);                                              // (B, T, C)
    }

    /** (B, T, C) → (B, H, T, D). */
    private NDArray shape(NDArray tensor) {                                              // (B, T, C)
        long bsz = tensor.getShape().get(0);
        long seqLen = tensor.getShape().get(1);
        return tensor.reshape(bsz, seqLen, numHeads, headDim).transpose(0, 2, 1, 3);     // (B, H, T, D)
    }

    /**
     * The decoder's 4-D attention mask, 1 where a query may attend to a key and 0 where it may not:
     * no key after the query (queries sit at positions past.. past + T - 1), and no pad.
     */
    private static NDArray attentionMask(AttentionMask mask, NDManager manager, long tgtLen, long srcLen,
                                         long past) {
        NDArray allowed = manager.ones(new Shape(1, 1, tgtLen, srcLen));                // (1, 1, T, S)
        if (mask.causal()) {
            NDArray queries = manager.arange(past, past + tgtLen).reshape(tgtLen, 1);   // (T, 1)
            NDArray keys = manager.arange(0L, srcLen).reshape(1, srcLen);               // (1, S)
            allowed = allowed.mul(keys.lte(queries).toType(DataType.FLOAT32, false));   // (1, 1, T, S)
        }
        if (mask.padding() != null) {
            NDArray padding = mask.padding().toType(DataType.FLOAT32, false);            // (B, S)
            allowed = allowed.mul(padding.reshape(padding.getShape().get(0), 1, 1, srcLen));  // (B, 1, T, S)
        }
        return allowed;
    }
}
