package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.TransformerBlock.Placement;

/**
 * A transformer decoder block, as {@code torch.nn.TransformerDecoderLayer} with {@code norm_first}
 * true (pre-norm) or false (post-norm): self-attention over the target, under its causal and padding
 * mask; cross-attention from the target to the encoder's memory, under the memory's padding; and a
 * feed-forward sublayer. B batch, T target tokens, S memory tokens, C model width. The memory is
 * used as given (the encoder normalizes it). Each step is a method of its own, which a subclass may
 * override.
 */
public class TransformerDecoderBlock implements DecoderBlock {
    private final Placement placement;
    private final Norm norm1;
    private final SelfAttention selfAttention;
    private final Norm norm2;
    private final CrossAttention crossAttention;
    private final Norm norm3;
    private final FeedForward feedForward;

    public TransformerDecoderBlock(Placement placement, Norm norm1, SelfAttention selfAttention, Norm norm2,
                                   CrossAttention crossAttention, Norm norm3, FeedForward feedForward) {
        this.placement = placement;
        this.norm1 = norm1;
        this.selfAttention = selfAttention;
        this.norm2 = norm2;
        this.crossAttention = crossAttention;
        this.norm3 = norm3;
        this.feedForward = feedForward;
    }

    /**
     * {@code torch.nn.TransformerDecoderLayer}'s parameters: {@code self_attn}, {@code multihead_attn}
     * (the cross-attention), {@code linear1/2} and {@code norm1/2/3}.
     */
    public static TransformerDecoderBlock fromTorchDecoderLayer(Parameters p, int heads, Placement placement) {
        return new TransformerDecoderBlock(placement, LayerNorm.from(p.under("norm1")),
                Attention.fromTorchMultihead(p.under("self_attn"), heads), LayerNorm.from(p.under("norm2")),
                Attention.fromTorchMultihead(p.under("multihead_attn"), heads), LayerNorm.from(p.under("norm3")),
                GeluFeedForward.fromTorchEncoderLayer(p));
    }

    @Override
    public final NDArray forward(NDArray x, NDArray memory, AttentionMask targetMask,
                                 AttentionMask memoryMask) {                       // x: (B, T, C); memory: (B, S, C)
        return placement == Placement.PRE_NORM ? preNorm(x, memory, targetMask, memoryMask)
                : postNorm(x, memory, targetMask, memoryMask);
    }

    /** x + f(norm(x)) around each sublayer. */
    protected NDArray preNorm(NDArray x, NDArray memory, AttentionMask targetMask, AttentionMask memoryMask) {
        x = x.add(selfAttention.forward(norm1.forward(x), targetMask));                // (B, T, C)
        x = x.add(crossAttend(norm2.forward(x), memory, targetMask, memoryMask));      // (B, T, C)
        return x.add(feedForward.forward(norm3.forward(x)));                           // (B, T, C)
    }

    /** norm(x + f(x)) around each sublayer. */
    protected NDArray postNorm(NDArray x, NDArray memory, AttentionMask targetMask, AttentionMask memoryMask) {
        x = norm1.forward(x.add(selfAttention.forward(x, targetMask)));                // (B, T, C)
        x = norm2.forward(x.add(crossAttend(x, memory, targetMask, memoryMask)));      // (B, T, C)
        return norm3.forward(x.add(feedForward.forward(x)));                           // (B, T, C)
    }

    /**
     * The cross-attention sublayer: queries from h, keys and values from the memory, under the
     * memory's mask. It is handed both masks, as the layer holds both.
     */
    protected NDArray crossAttend(NDArray h, NDArray memory, AttentionMask targetMask,
                                  AttentionMask memoryMask) {                          // h: (B, T, C); memory: (B, S, C)
        return crossAttention.forward(h, memory, memoryMask);                          // (B, T, C)
    }

    public Placement placement() {
        return placement;
    }

    public SelfAttention selfAttention() {
        return selfAttention;
    }

    public CrossAttention crossAttention() {
        return crossAttention;
    }
}
