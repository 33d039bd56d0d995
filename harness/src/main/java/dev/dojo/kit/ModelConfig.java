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
 */
public record ModelConfig(int vocabulary, int width, int heads, int kvHeads, int hidden, int layers,
                          Placement placement, NormKind norm, boolean rope, FeedForwardKind feedForward) {

    public enum NormKind { RMS_NORM, LAYER_NORM }

    public enum FeedForwardKind { SWIGLU, GELU }

    public ModelConfig {
        if (width % heads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must divide model width (" + width + ")");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("KV heads (" + kvHeads + ") must divide heads (" + heads + ")");
        }
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

    public ModelConfig withWidth(int c) {
        return new ModelConfig(vocabulary, c, heads, kvHeads, hidden, layers, placement, norm, rope, feedForward);
    }

    public ModelConfig withHeads(int h, int kv) {
        return new ModelConfig(vocabulary, width, h, kv, hidden, layers, placement, norm, rope, feedForward);
    }

    public ModelConfig withNorm(NormKind n) {
        return new ModelConfig(vocabulary, width, heads, kvHeads, hidden, layers, placement, n, rope, feedForward);
    }

    public ModelConfig withFeedForward(FeedForwardKind f) {
        return new ModelConfig(vocabulary, width, heads, kvHeads, hidden, layers, placement, norm, rope, f);
    }

    public ModelConfig withKvHeads(int kv) {
        return new ModelConfig(vocabulary, width, heads, kv, hidden, layers, placement, norm, rope, feedForward);
    }

    public ModelConfig withPlacement(Placement p) {
        return new ModelConfig(vocabulary, width, heads, kvHeads, hidden, layers, p, norm, rope, feedForward);
    }

    public ModelConfig withRope(boolean r) {
        return new ModelConfig(vocabulary, width, heads, kvHeads, hidden, layers, placement, norm, r, feedForward);
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

    /** One block's parameters, named under {@code prefix} ("" or "layers.3."). */
    public Parameters layerParameters(Seeded seeded, String prefix) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        long kvWidth = (long) kvHeads * headSize();
        norm(seeded, p, prefix + "input_layernorm.");
        linear(seeded, p, prefix + "self_attn.q_proj.", width, width, false);
        linear(seeded, p, prefix + "self_attn.k_proj.", width, kvWidth, false);
        linear(seeded, p, prefix + "self_attn.v_proj.", width, kvWidth, false);
        linear(seeded, p, prefix + "self_attn.o_proj.", width, width, false);
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
