package dev.dojo.golden;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Tolerance;
import dev.dojo.junit.ScopedManager;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.LayerNorm;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.RmsNorm;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.reference.SwiGluFeedForward;
import dev.dojo.reference.TransformerBlock;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.function.Function;

import static dev.dojo.assertions.DojoAssertions.assertThat;

/**
 * Every Java reference part agrees with the TorchScript module real PyTorch exported, within
 * 1e-5 absolute in float32: against PyTorch's stored output, and against DJL's own run of the
 * module on fresh seeded inputs.
 */
@ExtendWith(ScopedManager.class)
class GoldenModelTest {
    private static final Tolerance FLOAT32 = Tolerance.absolute(1e-5);

    @Test
    @DisplayName("LayerNorm matches torch.nn.LayerNorm")
    void layerNorm(NDManager manager) {
        GoldenModel golden = GoldenModel.named("layer_norm");
        LayerNorm norm = LayerNorm.from(golden.parameters(manager));
        agrees(manager, golden, norm::forward, 2, 5, 16);
    }

    @Test
    @DisplayName("RMSNorm matches Llama's RMSNorm in torch")
    void rmsNorm(NDManager manager) {
        GoldenModel golden = GoldenModel.named("rms_norm");
        RmsNorm norm = RmsNorm.from(golden.parameters(manager));
        agrees(manager, golden, norm::forward, 2, 5, 16);
    }

    @Test
    @DisplayName("SwiGLU feed-forward matches Llama's MLP in torch")
    void swiGlu(NDManager manager) {
        GoldenModel golden = GoldenModel.named("swiglu_ffn");
        SwiGluFeedForward ffn = SwiGluFeedForward.fromLlama(golden.parameters(manager));
        agrees(manager, golden, ffn::forward, 2, 5, 16);
    }

    @Test
    @DisplayName("half-split RoPE matches rotate_half RoPE in torch, at offsets 3 and 0")
    void ropeHalfSplit(NDManager manager) {
        ropeAgrees(manager, "rope_half_split", RopePairing.HALF_SPLIT);
    }

    @Test
    @DisplayName("adjacent-pairs RoPE matches interleaved RoPE in torch, at offsets 3 and 0")
    void ropeAdjacentPairs(NDManager manager) {
        ropeAgrees(manager, "rope_adjacent_pairs", RopePairing.ADJACENT_PAIRS);
    }

    @Test
    @DisplayName("GQA attention with RoPE and a causal mask matches Llama-style attention in torch")
    void groupedQueryAttention(NDManager manager) {
        GoldenModel golden = GoldenModel.named("gqa_attention");
        Attention attention = Attention.fromLlama(golden.parameters(manager), 4, 2,
                new RotaryEmbedding(8, 10_000, RopePairing.HALF_SPLIT));
        agrees(manager, golden, x -> attention.forward(x, AttentionMask.causalOnly()), 2, 6, 32);
    }

    @Test
    @DisplayName("attention with causal and padding masks matches torch.nn.MultiheadAttention")
    void multiheadAttentionCausal(NDManager manager) {
        multiheadAgrees(manager, "multihead_attention", true);
    }

    @Test
    @DisplayName("attention with a padding mask matches torch.nn.MultiheadAttention")
    void multiheadAttentionPadding(NDManager manager) {
        multiheadAgrees(manager, "multihead_attention_padding_only", false);
    }

    @Test
    @DisplayName("a pre-norm block matches torch.nn.TransformerEncoderLayer(norm_first=True)")
    void preNormBlock(NDManager manager) {
        blockAgrees(manager, "encoder_layer_prenorm", TransformerBlock.Placement.PRE_NORM);
    }

    @Test
    @DisplayName("a post-norm block matches torch.nn.TransformerEncoderLayer(norm_first=False)")
    void postNormBlock(NDManager manager) {
        blockAgrees(manager, "encoder_layer_postnorm", TransformerBlock.Placement.POST_NORM);
    }

    private static void blockAgrees(NDManager manager, String name, TransformerBlock.Placement placement) {
        GoldenModel golden = GoldenModel.named(name);
        TransformerBlock block = TransformerBlock.fromTorchEncoderLayer(golden.parameters(manager), 4, placement);
        agrees(manager, golden, x -> block.forward(x, AttentionMask.none()), 2, 5, 16);
    }

    private static void multiheadAgrees(NDManager manager, String name, boolean causal) {
        GoldenModel golden = GoldenModel.named(name);
        Attention attention = Attention.fromTorchMultihead(golden.parameters(manager).under("mha"), 4);
        NDArray x = golden.example(manager, "x");
        NDArray padding = golden.example(manager, "padding");
        assertThat(attention.forward(x, new AttentionMask(causal, padding)))
                .named("Attention output").against("PyTorch's stored output").withAxes("batch", "pos", "dim")
                .isCloseTo(golden.example(manager, "out"), FLOAT32);

        NDArray fresh = Seeded.of(manager, 11).normal("x", 1, 2, 6, 16);
        NDArray freshPadding = Seeded.of(manager, 11).rightPadding(6, 6, 3);
        assertThat(attention.forward(fresh, new AttentionMask(causal, freshPadding)))
                .named("Attention output").against("DJL's run of the TorchScript module").withSeed(11)
                .withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, fresh, freshPadding).singletonOrThrow(), FLOAT32);
    }

    private static void ropeAgrees(NDManager manager, String name, RopePairing pairing) {
        GoldenModel golden = GoldenModel.named(name);
        RotaryEmbedding rope = new RotaryEmbedding(8, 10_000, pairing);
        NDArray x = golden.example(manager, "x");
        assertThat(rope.apply(x, 3)).named("RoPE output").against("PyTorch's stored output")
                .withAxes("batch", "head", "pos", "dim").isCloseTo(golden.example(manager, "out"), FLOAT32);
        assertThat(rope.apply(x, 0)).named("RoPE output at offset 0").against("PyTorch's stored output")
                .withAxes("batch", "head", "pos", "dim").isCloseTo(golden.example(manager, "out_offset0"), FLOAT32);

        NDArray fresh = Seeded.of(manager, 12).normal("x", 1, 2, 3, 6, 8);
        NDArray offset = manager.create(5L);
        assertThat(rope.apply(fresh, 5)).named("RoPE output").against("DJL's run of the TorchScript module")
                .withSeed(12).withAxes("batch", "head", "pos", "dim")
                .isCloseTo(golden.run(manager, fresh, offset).singletonOrThrow(), FLOAT32);
    }

    private static void agrees(NDManager manager, GoldenModel golden, Function<NDArray, NDArray> part, long... shape) {
        NDArray x = golden.example(manager, "x");
        assertThat(part.apply(x)).named(golden.name() + " in Java").against("PyTorch's stored output")
                .isCloseTo(golden.example(manager, "out"), FLOAT32);

        NDArray fresh = Seeded.of(manager, 10).normal("x", 1, shape);
        assertThat(part.apply(fresh)).named(golden.name() + " in Java").against("DJL's run of the TorchScript module")
                .withSeed(10).isCloseTo(golden.run(manager, fresh).singletonOrThrow(), FLOAT32);
    }
}
