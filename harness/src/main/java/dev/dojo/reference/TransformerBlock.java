package dev.dojo.reference;

import ai.djl.ndarray.NDArray;

/**
 * A transformer block, pre-norm (GPT-2, Llama: x + f(norm(x))) or post-norm (the 2017 paper,
 * BERT: norm(x + f(x))), as {@code torch.nn.TransformerEncoderLayer} with {@code norm_first} true or false.
 * B batch, T tokens, C model width. Each placement is a method of its own, which a subclass may
 * override.
 */
public class TransformerBlock implements Block {

    /** Where the norms sit relative to the residual adds. */
    public enum Placement { PRE_NORM, POST_NORM }

    private final Placement placement;
    private final Norm norm1;
    private final SelfAttention attention;
    private final Norm norm2;
    private final FeedForward feedForward;

    public TransformerBlock(Placement placement, Norm norm1, SelfAttention attention, Norm norm2,
                            FeedForward feedForward) {
        this.placement = placement;
        this.norm1 = norm1;
        this.attention = attention;
        this.norm2 = norm2;
        this.feedForward = feedForward;
    }

    /** {@code torch.nn.TransformerEncoderLayer}'s parameters ({@code self_attn}, {@code linear1/2}, {@code norm1/2}). */
    public static TransformerBlock fromTorchEncoderLayer(Parameters p, int heads, Placement placement) {
        return new TransformerBlock(placement, LayerNorm.from(p.under("norm1")),
                Attention.fromTorchMultihead(p.under("self_attn"), heads), LayerNorm.from(p.under("norm2")),
                GeluFeedForward.fromTorchEncoderLayer(p));
    }

    @Override
    public final NDArray forward(NDArray x, AttentionMask mask) {     // x: (B, T, C)
        return placement == Placement.PRE_NORM ? preNorm(x, mask) : postNorm(x, mask);
    }

    /** x + f(norm(x)) around each sublayer. */
    protected NDArray preNorm(NDArray x, AttentionMask mask) {        // x: (B, T, C)
        x = x.add(attention.forward(norm1.forward(x), mask));         // (B, T, C)
        return x.add(feedForward.forward(norm2.forward(x)));          // (B, T, C)
    }

    /** norm(x + f(x)) around each sublayer. */
    protected NDArray postNorm(NDArray x, AttentionMask mask) {       // x: (B, T, C)
        x = norm1.forward(x.add(attention.forward(x, mask)));         // (B, T, C)
        return norm2.forward(x.add(feedForward.forward(x)));          // (B, T, C)
    }

    public Placement placement() {
        return placement;
    }

    public Norm norm1() {
        return norm1;
    }

    public SelfAttention attention() {
        return attention;
    }

    public Norm norm2() {
        return norm2;
    }

    public FeedForward feedForward() {
        return feedForward;
    }
}
