package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.FeedForward;
import dev.dojo.reference.Norm;
import dev.dojo.reference.SelfAttention;
import dev.dojo.reference.TransformerBlock;

/**
 * The reference block whose pre-norm path carries the normalized input, not the input, along the
 * residual: norm(x) + f(norm(x)) instead of x + f(norm(x)). A known-bad variant.
 */
final class PreNormFromNormBlock extends TransformerBlock {

    PreNormFromNormBlock(Placement placement, Norm norm1, SelfAttention attention, Norm norm2,
            FeedForward feedForward) {
        super(placement, norm1, attention, norm2, feedForward);
    }

    @Override
    protected NDArray preNorm(NDArray x, AttentionMask mask) {        // x: (B, T, C)
        x = norm1().forward(x);                                       // (B, T, C)
        x = x.add(attention().forward(x, mask));                      // (B, T, C)
        return x.add(feedForward().forward(norm2().forward(x)));      // (B, T, C)
    }
}
