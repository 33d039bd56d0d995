package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Block;
import dev.dojo.reference.FeedForward;
import dev.dojo.reference.Norm;
import dev.dojo.reference.SelfAttention;
import dev.dojo.reference.TransformerBlock.Placement;

/**
 * Pre-norm block that carries the normalized input, not the input, along the residual path:
 * norm(x) + f(norm(x)) instead of x + f(norm(x)). A known-bad variant.
 */
final class PreNormFromNormBlock implements Block {
    private final Placement placement;
    private final Norm norm1;
    private final SelfAttention attention;
    private final Norm norm2;
    private final FeedForward feedForward;

    PreNormFromNormBlock(Placement placement, Norm norm1, SelfAttention attention, Norm norm2,
            FeedForward feedForward) {
        this.placement = placement;
        this.norm1 = norm1;
        this.attention = attention;
        this.norm2 = norm2;
        this.feedForward = feedForward;
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask) {           // x: (B, T, C)
        if (placement == Placement.PRE_NORM) {
            x = norm1.forward(x);
            x = x.add(attention.forward(x, mask));
            return x.add(feedForward.forward(norm2.forward(x)));
        }
        x = norm1.forward(x.add(attention.forward(x, mask)));
        return norm2.forward(x.add(feedForward.forward(x)));
    }
}
