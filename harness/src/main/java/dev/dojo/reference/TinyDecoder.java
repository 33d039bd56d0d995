package dev.dojo.reference;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * A tiny decoder-only language model: token embedding, N blocks, final norm, LM head.
 * B batch, T tokens, C width, V vocabulary. {@code Kit.decoder} builds one from named parameters.
 */
public final class TinyDecoder {
    private final NDArray embedding;
    private final List<Block> blocks;
    private final Norm finalNorm;
    private final Linear lmHead;

    /** {@code embedding}: (V, C); {@code lmHead}: C → V. */
    public TinyDecoder(NDArray embedding, List<Block> blocks, Norm finalNorm, Linear lmHead) {
        this.embedding = embedding;
        this.blocks = List.copyOf(blocks);
        this.finalNorm = finalNorm;
        this.lmHead = lmHead;
    }

    /** Logits (B, T, V) for tokens (B, T) of int64 ids. */
    public NDArray forward(NDArray tokens, AttentionMask mask) {
        long batch = tokens.getShape().get(0);
        long length = tokens.getShape().get(1);
        NDArray x = embedding.get(tokens.flatten()).reshape(batch, length, -1);   // (B, T, C)
        for (Block block : blocks) {
            x = block.forward(x, mask);                                           // (B, T, C)
        }
        return lmHead.forward(finalNorm.forward(x));                              // (B, T, V)
    }

    public List<Block> blocks() {
        return blocks;
    }
}
