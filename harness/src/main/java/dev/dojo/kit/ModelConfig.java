package dev.dojo.kit;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.TransformerBlock.Placement;
import dev.dojo.tensor.Seeded;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a tiny decoder-only model, and its parameters by Hugging Face Llama names
 * ({@code layers.0.self_attn.q_proj.weight}, …). V vocabulary, C width, H heads, H_kv KV heads, F hidden.
 * {@code window} is the sliding window of Mistral's attention (0: full causal attention);
 * {@code crossAttention} gives each block a cross-attention to an encoder's memory, as the decoder
 * of an encoder-decoder model has ({@code layers.0.cross_attn.q_proj.weight}, …).
 */
public record ModelConfig(int vocabulary, int width, int heads, int kvHeads, int hidden, int layers,
                          Placement placement, NormKind norm, boolean rope, FeedForwardKind feedForward, int window,
                          boolean crossAttention) {

    public enum NormKind { RMS_NORM, LAYER_NORM }

    public enum FeedForwardKind { SWIGLU, GELU }

    public ModelConfig {
        if (width % heads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must divide model width (" + width + ")");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("KV heads (" + kvHeads + ") must divide heads (" + heads + ")");
        }
        if (window < 0) {
            throw new IllegalArgumentException("window (" + window + ") must be positive, or 0 for none");
        }
    }

    /** A model without a sliding window or cross-attention. */
    public ModelConfig(int vocabulary, int width, int heads, int kvHeads, int hidden, int layers, Placement placement,
                       NormKind norm, boolean rope, FeedForwardKind feedForward) {
        this(vocabulary, width, heads, kvHeads, hidden, layers, placement, norm, rope, feedForward, 0, false);
    }

    /** Llama-shaped: RMSNorm, grouped-query attention with RoPE, SwiGLU, pre-norm; small enough for probes. */
    public static ModelConfig tinyLlama() {
        return new ModelConfig(48, 16, 4, 2, 40, 2, Placement.PRE_NORM, NormKind.RMS_NORM, true, FeedForwardKind.SWIGLU);
    }

    /** As the 2017 paper and BERT: LayerNorm, multi-head attention without RoPE, GELU, post-norm. */
    public static ModelConfig tinyPostNorm() {
        return new ModelConfig(48, 16, 4, 4, 32, 2, Placement.POST_NORM, NormKind.LAYER_NORM, false, FeedForwardKind.GELU);
    }

    /** As {@link #tinyPostNorm()} with each sublayer reading a normalized copy: torch's norm_first=True encoder layer. */
    public static ModelConfig tinyPreNormEncoder() {
        return tinyPostNorm().withPlacement(Placement.PRE_NORM);
    }

    /** Mistral-shaped: {@link #tinyLlama()} whose attention sees a sliding window of the last 3 positions. */
    public static ModelConfig tinyMistral() {
        return tinyLlama().withWindow(3);
    }

    /**
     * The decoder of an encoder-decoder model, as torch's {@code TransformerDecoderLayer}: {@link #tinyPostNorm()}
     * with a cross-attention to the encoder's memory in every block.
     */
    public static ModelConfig tinyEncoderDecoder() {
        return tinyPostNorm().withCrossAttention(true);
    }

    public ModelConfig withWidth(int c) {
        return new ModelConfig(vocabulary, c, heads, kvHeads, hidden, layers, placement, norm, rope, feedForward, window,
                crossAttention);
    }

    public ModelConfig withHeads(int h, int kv) {
        return new ModelConfig(vocabulary, width, h, kv, hidden, layers, placement, norm, rope, feedForward, window,
                crossAttention);
    }

    public ModelConfig withNorm(NormKind n) {
        return new ModelConfig(vocabulary, width, heads, kvHeads, hidden, layers, placement, n, rope, feedForward,
                window, crossAttention);
    }

    public ModelConfig withFeedForward(FeedForwardKind f) {
        return new ModelConfig(vocabulary, width, heads, kvHeads, hidden, layers, placement, norm, rope, f, window,
                crossAttention);
    }

    public ModelConfig withKvHeads(int kv) {
        return new ModelConfig(vocabulary, width, heads, kv, hidden, layers, placement, norm, rope, feedForward, window,
                crossAttention);
    }

    public ModelConfig withPlacement(Placement p) {
        return new ModelConfig(vocabulary, width, heads, kvHeads, hidden, layers, p, norm, rope, feedForward, window,
                crossAttention);
    }

    public ModelConfig withRope(boolean r) {
        return new ModelConfig(vocabulary, width, heads, kvHeads, hidden, layers, placement, norm, r, feedForward,
                window, crossAttention);
    }

    /** The same model whose attention sees a sliding window of the last {@code w} positions (0: none). */
    public ModelConfig withWindow(int w) {
        return new ModelConfig(vocabulary, width, heads, kvHeads, hidden, layers, placement, norm, rope, feedForward, w,
                crossAttention);
    }

    /** The same model with (or without) a cross-attention to an encoder's memory in every block. */
    public ModelConfig withCrossAttention(boolean c) {
        return new ModelConfig(vocabulary, width, heads, kvHeads, hidden, layers, placement, norm, rope, feedForward,
                window, c);
    }

    public int headSize() {
        return width / heads;
    }

    /** Every parameter of the model, drawn from {@code seeded}: norm gains near 1, linear weights with std 1/√in. */
    public Parameters randomParameters(Seeded seeded) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("embed_tokens.weight", seeded.normal("embed_tokens.weight", 1, vocabulary, width));
        for (int i = 0; i < layers; i++) {
            p.putAll(layerParameters(seeded, "layers." + i + ".").byName());
        }
        norm(seeded, p, "norm.");
        linear(seeded, p, "lm_head.", width, vocabulary, false);
        return new Parameters(p);
    }

    /**
     * One block's parameters, named under {@code prefix} ("" or "layers.3."); with cross-attention,
     * also {@code cross_attn_layernorm} and {@code cross_attn.q_proj} … {@code o_proj}.
     */
    public Parameters layerParameters(Seeded seeded, String prefix) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        norm(seeded, p, prefix + "input_layernorm.");
        attention(seeded, p, prefix + "self_attn.");
        if (crossAttention) {
            norm(seeded, p, prefix + "cross_attn_layernorm.");
            attention(seeded, p, prefix + "cross_attn.");
        }
        norm(seeded, p, prefix + "post_attention_layernorm.");
        if (feedForward == FeedForwardKind.SWIGLU) {
            linear(seeded, p, prefix + "mlp.gate_proj.", width, hidden, false);
            linear(seeded, p, prefix + "mlp.up_proj.", width, hidden, false);
            linear(seeded, p, prefix + "mlp.down_proj.", hidden, width, false);
        } else {
            linear(seeded, p, prefix + "mlp.fc1.", width, hidden, true);
            linear(seeded, p, prefix + "mlp.fc2.", hidden, width, true);
        }
        return new Parameters(p);
    }

    private void attention(Seeded seeded, Map<String, NDArray> p, String prefix) {
        long kvWidth = (long) kvHeads * headSize();
        linear(seeded, p, prefix + "q_proj.", width, width, false);
        linear(seeded, p, prefix + "k_proj.", width, kvWidth, false);
        linear(seeded, p, prefix + "v_proj.", width, kvWidth, false);
        linear(seeded, p, prefix + "o_proj.", width, width, false);
    }

    private void norm(Seeded seeded, Map<String, NDArray> p, String prefix) {
        p.put(prefix + "weight", seeded.normal(prefix + "weight", 0.1, width).add(1f));
        if (norm == NormKind.LAYER_NORM) {
            p.put(prefix + "bias", seeded.normal(prefix + "bias", 0.1, width));
        }
    }

    private static void linear(Seeded seeded, Map<String, NDArray> p, String prefix, long in, long out, boolean bias) {
        p.put(prefix + "weight", seeded.normal(prefix + "weight", 1 / Math.sqrt(in), out, in));
        if (bias) {
            p.put(prefix + "bias", seeded.normal(prefix + "bias", 0.1, out));
        }
    }
}
