package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Block;
import dev.dojo.reference.FeedForward;
import dev.dojo.reference.Norm;
import dev.dojo.reference.SelfAttention;
import dev.dojo.reference.TransformerBlock.Placement;

/**
 * Post-norm block that normalizes each sublayer's output before the residual add, x + norm(f(x)),
 * instead of the sum, norm(x + f(x)). A known-bad variant.
 */
final class SublayerNormBlock implements Block {
    private final Placement placement;
    private final Norm norm1;
    private final SelfAttention attention;
    private final Norm norm2;
    private final FeedForward feedForward;

    SublayerNormBlock(Placement placement, Norm norm1, SelfAttention attention, Norm norm2,
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
            x = x.add(attention.forward(norm1.forward(x), mask));
            return x.add(feedForward.forward(norm2.forward(x)));
        }
        x = x.add(norm1.forward(attention.forward(x, mask)));
        return x.add(norm2.forward(feedForward.forward(x)));
    }
}
