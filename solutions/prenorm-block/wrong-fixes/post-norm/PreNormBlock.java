// wrong fix: turns it into a post-norm block, norm(x + f(x)): the residual is kept but the stream is renormalized, the 2017 layout, not norm_first
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
        x = attentionNorm.forward(x.add(attention.forward(x, mask)));     // (B, T, C)
        return feedForwardNorm.forward(x.add(feedForward.forward(x)));   // (B, T, C)
    }
}
