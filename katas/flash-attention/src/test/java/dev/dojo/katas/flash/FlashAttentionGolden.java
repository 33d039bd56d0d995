package dev.dojo.katas.flash;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Tolerance;
import dev.dojo.golden.GoldenModel;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.Rotary;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;

import java.util.List;

/**
 * The kata's FlashAttention as the attention step of a Llama-style layer (the reference's projections,
 * RoPE and grouped KV heads around it), with the weights of a Llama-style attention written in PyTorch
 * (C 32, 4 query heads, 2 KV heads, rotate_half RoPE, causal), against that module, two keys per tile.
 * B batch, T tokens, C model width.
 */
public final class FlashAttentionGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(11);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    static final String MODEL = "gqa_attention";
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    static final int WIDTH = 32;
    static final int HEAD_SIZE = WIDTH / HEADS;
    static final int BATCH = 2;
    static final int TOKENS = 7;
    static final int TILE = 2;

    /** A self-attention layer around the kata's kernel: the reference's projections, RoPE and KV heads, then FlashAttention. */
    static Attention layer(Linear q, Linear k, Linear v, Linear o, int heads, int kvHeads, Rotary rope, int tile) {
        FlashAttention flash = new FlashAttention(tile);
        return new Attention(q, k, v, o, heads, kvHeads, rope) {
            @Override
            protected NDArray context(NDArray queries, NDArray keys, NDArray values, AttentionMask mask,
                                      NDManager manager, long offset) {      // queries: (B, H, T, D); keys, values: (B, H, S, D)
                NDArray bias = bias(mask, manager, queries.getShape().get(2), keys.getShape().get(2), offset);
                return flash.forward(queries, keys, values, bias);         // (B, H, T, D)
            }
        };
    }

    /** {@link #layer} with the golden module's q_proj … o_proj and RoPE, {@code tile} keys per tile. */
    static Attention goldenLayer(NDManager manager, int tile) {
        Parameters p = GoldenModel.named(MODEL).parameters(manager);
        return layer(Linear.from(p.under("q_proj")), Linear.from(p.under("k_proj")), Linear.from(p.under("v_proj")),
                Linear.from(p.under("o_proj")), HEADS, KV_HEADS, rope(), tile);
    }

    /** The reference attention (no tiles) with the golden module's weights. */
    static Attention goldenReference(NDManager manager) {
        return Attention.fromLlama(GoldenModel.named(MODEL).parameters(manager), HEADS, KV_HEADS, rope());
    }

    /** The golden module's rotary embedding: rotate_half, θ 10000, D 8. */
    static Rotary rope() {
        return new RotaryEmbedding(HEAD_SIZE, 10_000, RopePairing.HALF_SPLIT);
    }

    /** The reference parts of a tiny Llama, its tiled attention computed by the kata's FlashAttention. */
    @Override
    public Kit kit() {
        return Kit.reference(ModelConfig.tinyLlama()).named("flash-attention")
                .withTiledAttention(FlashAttentionGolden::layer);
    }

    @Override
    public long seed() {
        return SEED;
    }

    @Override
    public Tolerance tolerance() {
        return TOLERANCE;
    }

    @Override
    public Outputs run(NDManager manager, long seed) {
        NDArray x = Seeded.of(manager, seed).normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray actual = goldenLayer(manager, TILE).forward(x, AttentionMask.causalOnly());
        NDArray expected = GoldenModel.named(MODEL).run(manager, x).singletonOrThrow();
        return new Outputs(actual, expected, "Attention output, " + TILE + " keys per tile",
                "Llama-style attention in PyTorch", List.of("batch", "pos", "dim"));
    }
}
