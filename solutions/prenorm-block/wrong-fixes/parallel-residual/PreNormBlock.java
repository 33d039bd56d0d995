// wrong fix: a GPT-J parallel block: the feed-forward reads the norm of the ORIGINAL x, not of x after attention, a different architecture
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
        NDArray a = attention.forward(h, mask);                   // (B, T, C)
        NDArray f = feedForward.forward(feedForwardNorm.forward(x));   // (B, T, C)
        return x.add(a).add(f);                                   // (B, T, C)
    }
}
