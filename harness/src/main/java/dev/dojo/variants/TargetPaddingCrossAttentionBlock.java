package dev.dojo.variants;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CrossAttention;
import dev.dojo.reference.FeedForward;
import dev.dojo.reference.Norm;
import dev.dojo.reference.SelfAttention;
import dev.dojo.reference.TransformerBlock.Placement;
import dev.dojo.reference.TransformerDecoderBlock;

/**
 * A decoder block whose cross-attention masks the memory with the target's padding instead of the
 * memory's: it fits only when both have the same length, and then hides the wrong keys and lets the
 * memory's pads through. A known-bad variant.
 */
final class TargetPaddingCrossAttentionBlock extends TransformerDecoderBlock {

    TargetPaddingCrossAttentionBlock(Placement placement, Norm norm1, SelfAttention selfAttention, Norm norm2,
                                     CrossAttention crossAttention, Norm norm3, FeedForward feedForward) {
        super(placement, norm1, selfAttention, norm2, crossAttention, norm3, feedForward);
    }

    @Override
    protected NDArray crossAttend(NDArray h, NDArray memory, AttentionMask targetMask, AttentionMask memoryMask) {
        return crossAttention().forward(h, memory, AttentionMask.padding(targetMask.padding()));
    }
}
