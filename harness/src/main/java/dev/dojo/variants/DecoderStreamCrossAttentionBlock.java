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
 * A decoder block whose cross-attention takes its keys and values from the decoder stream instead of
 * the encoder's memory: it attends to the target itself, with no causal mask. A known-bad variant.
 */
final class DecoderStreamCrossAttentionBlock extends TransformerDecoderBlock {

    DecoderStreamCrossAttentionBlock(Placement placement, Norm norm1, SelfAttention selfAttention, Norm norm2,
                                     CrossAttention crossAttention, Norm norm3, FeedForward feedForward) {
        super(placement, norm1, selfAttention, norm2, crossAttention, norm3, feedForward);
    }

    @Override
    protected NDArray crossAttend(NDArray h, NDArray memory, AttentionMask targetMask, AttentionMask memoryMask) {
        return crossAttention().forward(h, h, memoryMask);
    }
}
