package dev.dojo.golden;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.junit.ScopedManager;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.LayerNorm;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Norm;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.RollingKvCache;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.reference.TiledAttention;
import dev.dojo.reference.TransformerBlock;
import dev.dojo.reference.TransformerDecoderBlock;
import ai.djl.ndarray.index.NDIndex;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The goldens can fail: a reference part broken the way a kata breaks it diverges from PyTorch's
 * output by far more than the tolerance (at least 100 times it), while the intact part passes on
 * the same input. Tolerance 1e-5 absolute, as in {@link GoldenModelTest}.
 */
@ExtendWith(ScopedManager.class)
class GoldenBreakageTest {
    private static final Tolerance FLOAT32 = Tolerance.absolute(1e-5);
    private static final double FAR = 100;

    @Test
    @DisplayName("LayerNorm with the unbiased (n - 1) variance fails the torch.nn.LayerNorm golden")
    void unbiasedLayerNorm(NDManager manager) {
        GoldenModel golden = GoldenModel.named("layer_norm");
        Parameters p = golden.parameters(manager);
        NDArray x = golden.example(manager, "x");
        NDArray expected = golden.example(manager, "out");

        Comparison intact = Comparison.of(LayerNorm.from(p).forward(x), expected, FLOAT32);
        Comparison broken = Comparison.of(new UnbiasedLayerNorm(p.get("weight"), p.get("bias")).forward(x), expected,
                FLOAT32);

        assertThat(intact.passes()).isTrue();
        assertThat(broken.passes()).isFalse();
        assertThat(broken.worstRatio()).isGreaterThan(FAR);
    }

    @Test
    @DisplayName("RoPE with adjacent pairs fails the half-split (rotate_half) golden")
    void otherRopePairing(NDManager manager) {
        GoldenModel golden = GoldenModel.named("rope_half_split");
        NDArray x = golden.example(manager, "x");
        NDArray expected = golden.example(manager, "out");

        Comparison intact = Comparison.of(new RotaryEmbedding(8, 10_000, RopePairing.HALF_SPLIT).apply(x, 3), expected,
                FLOAT32);
        Comparison broken = Comparison.of(new RotaryEmbedding(8, 10_000, RopePairing.ADJACENT_PAIRS).apply(x, 3),
                expected, FLOAT32);

        assertThat(intact.passes()).isTrue();
        assertThat(broken.passes()).isFalse();
        assertThat(broken.worstRatio()).isGreaterThan(FAR);
    }

    @Test
    @DisplayName("MultiheadAttention with in_proj split as k, q, v fails the torch.nn.MultiheadAttention golden")
    void queryKeySwapped(NDManager manager) {
        GoldenModel golden = GoldenModel.named("multihead_attention");
        Parameters p = golden.parameters(manager).under("mha");
        NDArray x = golden.example(manager, "x");
        AttentionMask mask = AttentionMask.causal(golden.example(manager, "padding"));
        NDArray expected = golden.example(manager, "out");
        NDList w = p.get("in_proj_weight").split(3, 0);
        NDList b = p.get("in_proj_bias").split(3, 0);
        Attention swapped = new Attention(new Linear(w.get(1), b.get(1)), new Linear(w.get(0), b.get(0)),
                new Linear(w.get(2), b.get(2)), Linear.from(p.under("out_proj")), 4, 4, null);

        Comparison intact = Comparison.of(Attention.fromTorchMultihead(p, 4).forward(x, mask), expected, FLOAT32);
        Comparison broken = Comparison.of(swapped.forward(x, mask), expected, FLOAT32);

        assertThat(intact.passes()).isTrue();
        assertThat(broken.passes()).isFalse();
        assertThat(broken.worstRatio()).isGreaterThan(FAR);
    }

    @Test
    @DisplayName("a post-norm block fails the norm_first=True encoder-layer golden")
    void wrongPlacement(NDManager manager) {
        GoldenModel golden = GoldenModel.named("encoder_layer_prenorm");
        Parameters p = golden.parameters(manager);
        NDArray x = golden.example(manager, "x");
        NDArray expected = golden.example(manager, "out");

        Comparison intact = Comparison.of(TransformerBlock.fromTorchEncoderLayer(p, 4, TransformerBlock.Placement.PRE_NORM)
                .forward(x, AttentionMask.none()), expected, FLOAT32);
        Comparison broken = Comparison.of(TransformerBlock.fromTorchEncoderLayer(p, 4, TransformerBlock.Placement.POST_NORM)
                .forward(x, AttentionMask.none()), expected, FLOAT32);

        assertThat(intact.passes()).isTrue();
        assertThat(broken.passes()).isFalse();
        assertThat(broken.worstRatio()).isGreaterThan(FAR);
    }

    @Test
    @DisplayName("a window of 4 keys fails the sliding-window golden of 3")
    void windowOneTooWide(NDManager manager) {
        GoldenModel golden = GoldenModel.named("sliding_window_attention");
        Attention attention = Attention.fromLlama(golden.parameters(manager), 4, 2,
                new RotaryEmbedding(8, 10_000, RopePairing.HALF_SPLIT));
        NDArray x = golden.example(manager, "x");
        NDArray expected = golden.example(manager, "out");

        Comparison intact = Comparison.of(attention.forward(x, AttentionMask.slidingWindow(3)), expected, FLOAT32);
        Comparison broken = Comparison.of(attention.forward(x, AttentionMask.slidingWindow(4)), expected, FLOAT32);

        assertThat(intact.passes()).isTrue();
        assertThat(broken.passes()).isFalse();
        assertThat(broken.worstRatio()).isGreaterThan(FAR);
    }

    @Test
    @DisplayName("a rolling buffer that writes every token after the wrap into slot 0 fails the sliding-window golden")
    void rollingBufferWrongSlot(NDManager manager) {
        GoldenModel golden = GoldenModel.named("sliding_window_attention");
        Attention attention = Attention.fromLlama(golden.parameters(manager), 4, 2,
                new RotaryEmbedding(8, 10_000, RopePairing.HALF_SPLIT));
        NDArray x = golden.example(manager, "x");
        NDArray expected = golden.example(manager, "out");

        Comparison intact = Comparison.of(decode(attention, x, new RollingKvCache(3)), expected, FLOAT32);
        Comparison broken = Comparison.of(decode(attention, x, new RollingKvCache(3) {
            @Override
            protected void write(NDArray[] slots, long position, NDArray token) {
                slots[(int) (Math.min(position, 3) % 3)] = token;
            }
        }), expected, FLOAT32);

        assertThat(intact.passes()).isTrue();
        assertThat(broken.passes()).isFalse();
        assertThat(broken.worstRatio()).isGreaterThan(FAR);
    }

    @Test
    @DisplayName("tiled attention whose running sum is not rescaled fails the Llama-style attention golden")
    void onlineSoftmaxWithoutRescale(NDManager manager) {
        GoldenModel golden = GoldenModel.named("gqa_attention");
        Attention plain = Attention.fromLlama(golden.parameters(manager), 4, 2,
                new RotaryEmbedding(8, 10_000, RopePairing.HALF_SPLIT));
        NDArray x = golden.example(manager, "x");
        NDArray expected = golden.example(manager, "out");
        TiledAttention unscaled = new TiledAttention(plain.wq(), plain.wk(), plain.wv(), plain.wo(), 4, 2,
                plain.rope(), 2) {
            @Override
            protected Running fold(Running running, NDArray scores, NDArray values) {
                NDArray max = running.max().maximum(scores.max(new int[] {-1}, true));
                NDArray p = scores.sub(max).exp();
                NDArray rescale = running.max().sub(max).exp();
                return new Running(max, running.sum().add(p.sum(new int[] {-1}, true)),
                        running.accumulator().mul(rescale).add(p.matMul(values)));
            }
        };
        TiledAttention tiled = new TiledAttention(plain.wq(), plain.wk(), plain.wv(), plain.wo(), 4, 2, plain.rope(),
                2);

        Comparison intact = Comparison.of(tiled.forward(x, AttentionMask.causalOnly()), expected, FLOAT32);
        Comparison broken = Comparison.of(unscaled.forward(x, AttentionMask.causalOnly()), expected, FLOAT32);

        assertThat(intact.passes()).isTrue();
        assertThat(broken.passes()).isFalse();
        assertThat(broken.worstRatio()).isGreaterThan(FAR);
    }

    @Test
    @DisplayName("a decoder block whose cross-attention reads the decoder stream, or sees the memory's pads, fails the decoder-layer golden")
    void crossAttentionMiswired(NDManager manager) {
        GoldenModel golden = GoldenModel.named("decoder_layer_prenorm");
        Parameters p = golden.parameters(manager).under("layer");
        NDArray tgt = golden.example(manager, "tgt");
        NDArray memory = golden.example(manager, "memory");
        AttentionMask targetMask = AttentionMask.causal(golden.example(manager, "tgt_padding"));
        AttentionMask memoryMask = AttentionMask.padding(golden.example(manager, "memory_padding"));
        NDArray expected = golden.example(manager, "out");
        TransformerDecoderBlock block = TransformerDecoderBlock.fromTorchDecoderLayer(p, 4,
                TransformerBlock.Placement.PRE_NORM);
        TransformerDecoderBlock selfFed = new TransformerDecoderBlock(TransformerBlock.Placement.PRE_NORM,
                LayerNorm.from(p.under("norm1")), block.selfAttention(), LayerNorm.from(p.under("norm2")),
                block.crossAttention(), LayerNorm.from(p.under("norm3")),
                dev.dojo.reference.GeluFeedForward.fromTorchEncoderLayer(p)) {
            @Override
            protected NDArray crossAttend(NDArray h, NDArray mem, AttentionMask target, AttentionMask memoryPads) {
                return crossAttention().forward(h, h, AttentionMask.none());
            }
        };

        Comparison intact = Comparison.of(block.forward(tgt, memory, targetMask, memoryMask), expected, FLOAT32);
        Comparison decoderStream = Comparison.of(selfFed.forward(tgt, memory, targetMask, memoryMask), expected,
                FLOAT32);
        Comparison padsSeen = Comparison.of(block.forward(tgt, memory, targetMask, AttentionMask.none()), expected,
                FLOAT32);

        assertThat(intact.passes()).isTrue();
        assertThat(decoderStream.passes()).isFalse();
        assertThat(decoderStream.worstRatio()).isGreaterThan(FAR);
        assertThat(padsSeen.passes()).isFalse();
        assertThat(padsSeen.worstRatio()).isGreaterThan(FAR);
    }

    /** x: (B, 10, C) decoded one token per step through {@code cache} under a sliding window of 3. */
    private static NDArray decode(Attention attention, NDArray x, RollingKvCache cache) {
        NDArray decoded = null;
        for (long t = 0; t < 10; t++) {
            NDArray step = attention.forward(x.get(new NDIndex(":, {}:{}", t, t + 1)), AttentionMask.slidingWindow(3),
                    cache);
            decoded = decoded == null ? step : decoded.concat(step, 1);
        }
        return decoded;
    }

    /** (x - mean) / sqrt(var + eps) · γ + β with var = Σ(x - mean)² / (C - 1): torch.var's default, not LayerNorm's. */
    private record UnbiasedLayerNorm(NDArray weight, NDArray bias) implements Norm {
        @Override
        public NDArray forward(NDArray x) {                                        // x: (..., C)
            long width = x.getShape().getLastDimension();
            NDArray centered = x.sub(x.mean(new int[] {-1}, true));                // (..., C)
            NDArray var = centered.square().sum(new int[] {-1}, true).div(width - 1);  // (..., 1)
            return centered.div(var.add(1e-5).sqrt()).mul(weight).add(bias);
        }
    }
}
