package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import dev.dojo.tensor.Seeded;

import java.util.ArrayList;
import java.util.List;

/**
 * A tiny decoder-only language model: token embedding, N blocks, final norm, LM head.
 * B batch, T tokens, C width, V vocabulary.
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

    /** A Llama-shaped model: RMSNorm, GQA attention with half-split RoPE, SwiGLU, pre-norm blocks. */
    public static TinyDecoder randomLlama(Seeded seeded, int vocabulary, int width, int layers, int heads,
                                          int kvHeads, int hidden) {
        RotaryEmbedding rope = new RotaryEmbedding(width / heads, 10_000, RopePairing.HALF_SPLIT);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            String name = "layers." + i;
            blocks.add(new TransformerBlock(TransformerBlock.Placement.PRE_NORM,
                    RmsNorm.random(seeded, name + ".input_layernorm", width),
                    Attention.random(seeded, name + ".self_attn", width, heads, kvHeads, rope),
                    RmsNorm.random(seeded, name + ".post_attention_layernorm", width),
                    SwiGluFeedForward.random(seeded, name + ".mlp", width, hidden)));
        }
        return new TinyDecoder(seeded.normal("embed_tokens.weight", 1, vocabulary, width), blocks,
                RmsNorm.random(seeded, "norm", width), Linear.random(seeded, "lm_head", width, vocabulary, false));
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
