// wrong fix: reads the memory, but normalizes the cross-attention's input with norm3 and the feed-forward's with norm2, the two norms swapped; identical while both hold their initial weights (ones and zeros), wrong for any trained checkpoint
package dev.dojo.katas.decoder;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CrossAttention;
import dev.dojo.reference.DecoderBlock;
import dev.dojo.reference.FeedForward;
import dev.dojo.reference.GeluFeedForward;
import dev.dojo.reference.LayerNorm;
import dev.dojo.reference.Norm;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.SelfAttention;

/**
 * A Transformer decoder layer, ported from torch.nn.TransformerDecoderLayer: self-attention over the
 * target, multi-head attention from the target to the encoder's output (the memory), and a
 * feed-forward network, each in a residual connection with a LayerNorm after it (norm_first false, as
 * in the 2017 paper and Marian) or before it (norm_first true).
 * B batch, T target tokens, S memory tokens, C model width.
 */
public final class TransformerDecoderLayer implements DecoderBlock {
    private final boolean normFirst;
    private final SelfAttention selfAttn;
    private final CrossAttention multiheadAttn;
    private final FeedForward feedForward;
    private final Norm norm1;
    private final Norm norm2;
    private final Norm norm3;

    public TransformerDecoderLayer(boolean normFirst, SelfAttention selfAttn, CrossAttention multiheadAttn,
                                   FeedForward feedForward, Norm norm1, Norm norm2, Norm norm3) {
        this.normFirst = normFirst;
        this.selfAttn = selfAttn;
        this.multiheadAttn = multiheadAttn;
        this.feedForward = feedForward;
        this.norm1 = norm1;
        this.norm2 = norm2;
        this.norm3 = norm3;
    }

    /** torch's self_attn, multihead_attn, linear1, linear2 and norm1 to norm3; nhead heads in each attention. */
    public static TransformerDecoderLayer fromTorch(Parameters p, int nhead, boolean normFirst) {
        return new TransformerDecoderLayer(normFirst, Attention.fromTorchMultihead(p.under("self_attn"), nhead),
                Attention.fromTorchMultihead(p.under("multihead_attn"), nhead), GeluFeedForward.fromTorchEncoderLayer(p),
                LayerNorm.from(p.under("norm1")), LayerNorm.from(p.under("norm2")), LayerNorm.from(p.under("norm3")));
    }

    /** tgtMask: the target's causal and padding mask; memoryMask: the memory's padding. */
    @Override
    public NDArray forward(NDArray tgt, NDArray memory, AttentionMask tgtMask,
                           AttentionMask memoryMask) {                             // tgt: (B, T, C); memory: (B, S, C)
        NDArray x = tgt;                                                          // (B, T, C)
        if (normFirst) {
            NDArray h = norm1.forward(x);                                         // (B, T, C)
            x = x.add(selfAttn.forward(h, tgtMask));                              // (B, T, C)
            h = norm3.forward(x);                                                 // (B, T, C)
            x = x.add(multiheadAttn.forward(h, memory, memoryMask));              // (B, T, C)
            h = norm2.forward(x);                                                 // (B, T, C)
            return x.add(feedForward.forward(h));                                 // (B, T, C)
        }
        x = norm1.forward(x.add(selfAttn.forward(x, tgtMask)));                   // (B, T, C)
        x = norm2.forward(x.add(multiheadAttn.forward(x, memory, memoryMask)));   // (B, T, C)
        return norm3.forward(x.add(feedForward.forward(x)));                      // (B, T, C)
    }
}
