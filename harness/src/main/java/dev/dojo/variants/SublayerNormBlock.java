package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.FeedForward;
import dev.dojo.reference.Norm;
import dev.dojo.reference.SelfAttention;
import dev.dojo.reference.TransformerBlock;

/**
 * The reference block whose post-norm path normalizes each sublayer's output before the residual
 * add, x + norm(f(x)), instead of the sum, norm(x + f(x)). A known-bad variant.
 */
final class SublayerNormBlock extends TransformerBlock {

    SublayerNormBlock(Placement placement, Norm norm1, SelfAttention attention, Norm norm2,
            FeedForward feedForward) {
        super(placement, norm1, attention, norm2, feedForward);
    }

    @Override
    protected NDArray postNorm(NDArray x, AttentionMask mask) {       // x: (B, T, C)
        x = x.add(norm1().forward(attention().forward(x, mask)));     // (B, T, C)
        return x.add(norm2().forward(feedForward().forward(x)));      // (B, T, C)
    }
}
