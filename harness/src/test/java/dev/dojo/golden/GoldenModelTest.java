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
import dev.dojo.reference.RollingKvCache;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.reference.SwiGluFeedForward;
import dev.dojo.reference.TiledAttention;
import dev.dojo.reference.TransformerBlock;
import dev.dojo.reference.TransformerDecoderBlock;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

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

    @Test
    @DisplayName("a pre-norm decoder block matches torch.nn.TransformerDecoderLayer(norm_first=True) under causal, target and memory padding masks")
    void preNormDecoderBlock(NDManager manager) {
        decoderAgrees(manager, "decoder_layer_prenorm", TransformerBlock.Placement.PRE_NORM);
    }

    @Test
    @DisplayName("a post-norm decoder block matches torch.nn.TransformerDecoderLayer(norm_first=False) under causal, target and memory padding masks")
    void postNormDecoderBlock(NDManager manager) {
        decoderAgrees(manager, "decoder_layer_postnorm", TransformerBlock.Placement.POST_NORM);
    }

    @Test
    @DisplayName("a sliding window of 3 lets query i see exactly keys i-2..i, as the torch golden's mask")
    void slidingWindowMask(NDManager manager) {
        GoldenModel golden = GoldenModel.named("sliding_window_attention");
        NDArray bias = AttentionMask.slidingWindow(3).bias(manager, 10, 10, 0).reshape(10, 10);

        assertThat(bias.eq(0).toType(DataType.FLOAT32, false)).named("Keys the window lets each query see")
                .against("PyTorch's sliding-window mask").withAxes("query", "key")
                .isCloseTo(golden.example(manager, "allowed"), FLOAT32);
    }

    @Test
    @DisplayName("GQA attention with RoPE and a sliding window of 3, 1 or 10 keys matches Mistral-style attention in torch")
    void slidingWindowAttention(NDManager manager) {
        GoldenModel golden = GoldenModel.named("sliding_window_attention");
        Attention attention = mistral(golden, manager);
        NDArray x = golden.example(manager, "x");

        for (int window : new int[] {3, 1, 10}) {
            String key = window == 3 ? "out" : "out_window" + window;
            assertThat(attention.forward(x, AttentionMask.slidingWindow(window)))
                    .named("Attention output with a window of " + window).against("PyTorch's stored output")
                    .withAxes("batch", "pos", "dim").isCloseTo(golden.example(manager, key), FLOAT32);
        }
        NDArray fresh = Seeded.of(manager, 14).normal("x", 1, 2, 12, 32);
        assertThat(attention.forward(fresh, AttentionMask.slidingWindow(4))).named("Attention output with a window of 4")
                .against("DJL's run of the TorchScript module").withSeed(14).withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, fresh, manager.create(4L)).singletonOrThrow(), FLOAT32);
    }

    @ParameterizedTest(name = "{0} tokens per step")
    @ValueSource(ints = {1, 2, 4})
    @DisplayName("decoding through a rolling buffer of 3 slots gives torch's sliding-window output at every position, past the wrap")
    void rollingBuffer(int chunk, NDManager manager) {
        GoldenModel golden = GoldenModel.named("sliding_window_attention");
        Attention attention = mistral(golden, manager);
        NDArray x = golden.example(manager, "x");
        RollingKvCache cache = new RollingKvCache(3);
        NDArray decoded = null;

        for (long t = 0; t < 10; t += chunk) {
            NDArray step = attention.forward(x.get(new NDIndex(":, {}:{}", t, Math.min(10, t + chunk))),
                    AttentionMask.slidingWindow(3), cache);
            decoded = decoded == null ? step : decoded.concat(step, 1);
        }

        assertThat(decoded).named("Output decoded through a rolling buffer, " + chunk + " tokens per step")
                .against("PyTorch's sliding-window output").withAxes("batch", "pos", "dim")
                .isCloseTo(golden.example(manager, "out"), FLOAT32);
    }

    @ParameterizedTest(name = "{0} keys per tile")
    @ValueSource(ints = {1, 2, 4, 6})
    @DisplayName("tiled attention with an online softmax matches Llama-style causal attention in torch")
    void tiledAttention(int tile, NDManager manager) {
        GoldenModel golden = GoldenModel.named("gqa_attention");
        Attention plain = Attention.fromLlama(golden.parameters(manager), 4, 2,
                new RotaryEmbedding(8, 10_000, RopePairing.HALF_SPLIT));
        TiledAttention tiled = new TiledAttention(plain.wq(), plain.wk(), plain.wv(), plain.wo(), 4, 2, plain.rope(),
                tile);

        assertThat(tiled.forward(golden.example(manager, "x"), AttentionMask.causalOnly()))
                .named("Tiled attention output, " + tile + " keys per tile").against("PyTorch's stored output")
                .withAxes("batch", "pos", "dim").isCloseTo(golden.example(manager, "out"), FLOAT32);
    }

    @ParameterizedTest(name = "{0} keys per tile")
    @ValueSource(ints = {1, 2, 3, 10})
    @DisplayName("tiled attention under a sliding window of 3 matches Mistral-style attention in torch")
    void tiledSlidingWindowAttention(int tile, NDManager manager) {
        GoldenModel golden = GoldenModel.named("sliding_window_attention");
        Attention plain = mistral(golden, manager);
        TiledAttention tiled = new TiledAttention(plain.wq(), plain.wk(), plain.wv(), plain.wo(), 4, 2, plain.rope(),
                tile);

        assertThat(tiled.forward(golden.example(manager, "x"), AttentionMask.slidingWindow(3)))
                .named("Tiled attention output, " + tile + " keys per tile").against("PyTorch's stored output")
                .withAxes("batch", "pos", "dim").isCloseTo(golden.example(manager, "out"), FLOAT32);
    }

    private static Attention mistral(GoldenModel golden, NDManager manager) {
        return Attention.fromLlama(golden.parameters(manager), 4, 2, new RotaryEmbedding(8, 10_000, RopePairing.HALF_SPLIT));
    }

    private static void decoderAgrees(NDManager manager, String name, TransformerBlock.Placement placement) {
        GoldenModel golden = GoldenModel.named(name);
        TransformerDecoderBlock block = TransformerDecoderBlock.fromTorchDecoderLayer(
                golden.parameters(manager).under("layer"), 4, placement);
        NDArray tgt = golden.example(manager, "tgt");
        NDArray memory = golden.example(manager, "memory");
        AttentionMask targetMask = AttentionMask.causal(golden.example(manager, "tgt_padding"));
        AttentionMask memoryMask = AttentionMask.padding(golden.example(manager, "memory_padding"));
        assertThat(block.forward(tgt, memory, targetMask, memoryMask)).named("Decoder block output")
                .against("PyTorch's stored output").withAxes("batch", "pos", "dim")
                .isCloseTo(golden.example(manager, "out"), FLOAT32);

        Seeded seeded = Seeded.of(manager, 13);
        NDArray freshTgt = seeded.normal("tgt", 1, 2, 6, 16);
        NDArray freshMemory = seeded.normal("memory", 1, 2, 4, 16);
        NDArray tgtPadding = seeded.rightPadding(6, 6, 4);
        NDArray memoryPadding = seeded.rightPadding(4, 3, 4);
        assertThat(block.forward(freshTgt, freshMemory, AttentionMask.causal(tgtPadding),
                AttentionMask.padding(memoryPadding)))
                .named("Decoder block output").against("DJL's run of the TorchScript module").withSeed(13)
                .withAxes("batch", "pos", "dim")
                .isCloseTo(golden.run(manager, freshTgt, freshMemory, tgtPadding, memoryPadding).singletonOrThrow(),
                        FLOAT32);
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
