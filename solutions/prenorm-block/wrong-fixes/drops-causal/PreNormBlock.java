// wrong fix: rebuilds the mask from the padding alone (an encoder needs no causal mask): wrong for any caller that asks for a causal mask
package dev.dojo.katas.prenorm;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Block;
import dev.dojo.reference.FeedForward;
import dev.dojo.reference.Norm;
import dev.dojo.reference.SelfAttention;

/**
 * A pre-norm transformer block, as in GPT-2 and Llama: each sublayer reads a normalized copy of
 * the residual stream and adds its output back to the stream.
 * B batch, T tokens, C model width.
 */
public final class PreNormBlock implements Block {
    private final Norm attentionNorm;
    private final SelfAttention attention;
    private final Norm feedForwardNorm;
    private final FeedForward feedForward;

    public PreNormBlock(Norm attentionNorm, SelfAttention attention, Norm feedForwardNorm, FeedForward feedForward) {
        this.attentionNorm = attentionNorm;
        this.attention = attention;
        this.feedForwardNorm = feedForwardNorm;
        this.feedForward = feedForward;
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask) {       // x: (B, T, C)
        NDArray h = attentionNorm.forward(x);                     // (B, T, C)
        x = x.add(attention.forward(h, AttentionMask.padding(mask.padding())));   // (B, T, C)
        h = feedForwardNorm.forward(x);                           // (B, T, C)
        return x.add(feedForward.forward(h));                     // (B, T, C)
    }
}
