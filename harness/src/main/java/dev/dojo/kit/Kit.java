package dev.dojo.kit;

import ai.djl.ndarray.NDArray;
import dev.dojo.reference.Attention;
import dev.dojo.reference.Block;
import dev.dojo.reference.CrossAttention;
import dev.dojo.reference.DecoderBlock;
import dev.dojo.reference.FeedForward;
import dev.dojo.reference.GeluFeedForward;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.LayerNorm;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Norm;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.RmsNorm;
import dev.dojo.reference.RollingKvCache;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.Rotary;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.reference.SelfAttention;
import dev.dojo.reference.SwiGluFeedForward;
import dev.dojo.reference.TiledAttention;
import dev.dojo.reference.TinyDecoder;
import dev.dojo.reference.TransformerBlock;
import dev.dojo.reference.TransformerDecoderBlock;
import dev.dojo.reference.TransformerBlock.Placement;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;

/**
 * The parts a model is built from, as factories. The reference kit builds the harness's
 * reference parts; a known-bad variant or a learner's component replaces one factory, and every
 * probe then builds what it needs from the kit, so the same probe runs on any of them.
 */
public record Kit(String name, ModelConfig config, LayerNormFactory layerNorm, RmsNormFactory rmsNorm,
                  RotaryFactory rotary, AttentionFactory attention, SwiGluFactory swiGlu, GeluFactory gelu,
                  BlockFactory block, RollingCacheFactory rollingCache, TiledAttentionFactory tiledAttention,
                  DecoderBlockFactory decoderBlock, Set<Part> replaced) {

    /** The parts a kit is built from; {@link #replaced()} names those that are not the reference's. */
    public enum Part {
        LAYER_NORM, RMS_NORM, ROTARY, ATTENTION, SWIGLU, GELU, BLOCK, ROLLING_CACHE, TILED_ATTENTION, DECODER_BLOCK
    }

    public Kit {
        replaced = replaced.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(replaced));
    }

    public interface LayerNormFactory { Norm make(NDArray weight, NDArray bias, double eps); }

    public interface RmsNormFactory { Norm make(NDArray weight, double eps); }

    public interface RotaryFactory { Rotary make(int headSize, double theta); }

    /** Projections q (C→H·D), k and v (C→H_kv·D), o (H·D→C); {@code rope} may be null. */
    public interface AttentionFactory {
        SelfAttention make(Linear q, Linear k, Linear v, Linear o, int heads, int kvHeads, Rotary rope);
    }

    public interface SwiGluFactory { FeedForward make(Linear gate, Linear up, Linear down); }

    public interface GeluFactory { FeedForward make(Linear fc1, Linear fc2); }

    public interface BlockFactory { Block make(Placement placement, Norm norm1, SelfAttention attention, Norm norm2,
                                               FeedForward feedForward); }

    /** An empty KV cache for a sliding window of {@code window} positions: a rolling buffer of that many slots. */
    public interface RollingCacheFactory { KvCache make(int window); }

    /** Attention as {@link AttentionFactory} makes it, computed over {@code tile} keys at a time. */
    public interface TiledAttentionFactory {
        SelfAttention make(Linear q, Linear k, Linear v, Linear o, int heads, int kvHeads, Rotary rope, int tile);
    }

    /** A decoder block: self-attention (norm1), cross-attention to the memory (norm2), feed-forward (norm3). */
    public interface DecoderBlockFactory {
        DecoderBlock make(Placement placement, Norm norm1, SelfAttention selfAttention, Norm norm2,
                          CrossAttention crossAttention, Norm norm3, FeedForward feedForward);
    }

    /** The harness's reference parts, in a tiny Llama-shaped model. */
    public static Kit reference() {
        return reference(ModelConfig.tinyLlama());
    }

    /** The harness's reference parts, in a model shaped by {@code config}. */
    public static Kit reference(ModelConfig config) {
        return new Kit("reference", config, LayerNorm::new, RmsNorm::new,
                (headSize, theta) -> new RotaryEmbedding(headSize, theta, RopePairing.HALF_SPLIT),
                Attention::new, SwiGluFeedForward::new, GeluFeedForward::new, TransformerBlock::new,
                RollingKvCache::new, TiledAttention::new, TransformerDecoderBlock::new, Set.of());
    }

    /**
     * The harness's reference parts in a model shaped by {@code config}, with RoPE pairing
     * coordinates as {@code pairing} says: still the reference, so no part counts as replaced.
     */
    public static Kit reference(ModelConfig config, RopePairing pairing) {
        Kit reference = reference(config);
        return new Kit(reference.name, config, reference.layerNorm, reference.rmsNorm,
                (headSize, theta) -> new RotaryEmbedding(headSize, theta, pairing), reference.attention,
                reference.swiGlu, reference.gelu, reference.block, reference.rollingCache, reference.tiledAttention,
                reference.decoderBlock, Set.of());
    }

    public Kit named(String newName) {
        return new Kit(newName, config, layerNorm, rmsNorm, rotary, attention, swiGlu, gelu, block, rollingCache,
                tiledAttention, decoderBlock, replaced);
    }

    /** The same parts in a model shaped by {@code c}. */
    public Kit withConfig(ModelConfig c) {
        return new Kit(name, c, layerNorm, rmsNorm, rotary, attention, swiGlu, gelu, block, rollingCache,
                tiledAttention, decoderBlock, replaced);
    }

    public Kit withLayerNorm(LayerNormFactory f) {
        return new Kit(name, config, f, rmsNorm, rotary, attention, swiGlu, gelu, block, rollingCache, tiledAttention,
                decoderBlock, with(Part.LAYER_NORM));
    }

    public Kit withRmsNorm(RmsNormFactory f) {
        return new Kit(name, config, layerNorm, f, rotary, attention, swiGlu, gelu, block, rollingCache,
                tiledAttention, decoderBlock, with(Part.RMS_NORM));
    }

    public Kit withRotary(RotaryFactory f) {
        return new Kit(name, config, layerNorm, rmsNorm, f, attention, swiGlu, gelu, block, rollingCache,
                tiledAttention, decoderBlock, with(Part.ROTARY));
    }

    public Kit withAttention(AttentionFactory f) {
        return new Kit(name, config, layerNorm, rmsNorm, rotary, f, swiGlu, gelu, block, rollingCache, tiledAttention,
                decoderBlock, with(Part.ATTENTION));
    }

    public Kit withSwiGlu(SwiGluFactory f) {
        return new Kit(name, config, layerNorm, rmsNorm, rotary, attention, f, gelu, block, rollingCache,
                tiledAttention, decoderBlock, with(Part.SWIGLU));
    }

    public Kit withGelu(GeluFactory f) {
        return new Kit(name, config, layerNorm, rmsNorm, rotary, attention, swiGlu, f, block, rollingCache,
                tiledAttention, decoderBlock, with(Part.GELU));
    }

    public Kit withBlock(BlockFactory f) {
        return new Kit(name, config, layerNorm, rmsNorm, rotary, attention, swiGlu, gelu, f, rollingCache,
                tiledAttention, decoderBlock, with(Part.BLOCK));
    }

    public Kit withRollingCache(RollingCacheFactory f) {
        return new Kit(name, config, layerNorm, rmsNorm, rotary, attention, swiGlu, gelu, block, f, tiledAttention,
                decoderBlock, with(Part.ROLLING_CACHE));
    }

    public Kit withTiledAttention(TiledAttentionFactory f) {
        return new Kit(name, config, layerNorm, rmsNorm, rotary, attention, swiGlu, gelu, block, rollingCache, f,
                decoderBlock, with(Part.TILED_ATTENTION));
    }

    public Kit withDecoderBlock(DecoderBlockFactory f) {
        return new Kit(name, config, layerNorm, rmsNorm, rotary, attention, swiGlu, gelu, block, rollingCache,
                tiledAttention, f, with(Part.DECODER_BLOCK));
    }

    /** True when this kit builds every part as the reference does. */
    public boolean isReference() {
        return replaced.isEmpty();
    }

    private Set<Part> with(Part part) {
        Set<Part> parts = EnumSet.noneOf(Part.class);
        parts.addAll(replaced);
        parts.add(part);
        return parts;
    }

    // Builders: a part from named parameters, as ModelConfig names them.

    /** The norm whose {@code weight} (and {@code bias}, for LayerNorm) are in {@code p}. */
    public Norm norm(Parameters p, ModelConfig c) {
        return c.norm() == ModelConfig.NormKind.RMS_NORM ? rmsNorm.make(p.get("weight"), 1e-6)
                : layerNorm.make(p.get("weight"), p.get("bias"), 1e-5);
    }

    /** The rotary embedding for c's head size, or null when c has no RoPE. */
    public Rotary rotary(ModelConfig c) {
        return c.rope() ? rotary.make(c.headSize(), 10_000) : null;
    }

    /** Attention from {@code q_proj}, {@code k_proj}, {@code v_proj}, {@code o_proj} in {@code p}. */
    public SelfAttention attention(Parameters p, ModelConfig c) {
        return attention.make(Linear.from(p.under("q_proj")), Linear.from(p.under("k_proj")),
                Linear.from(p.under("v_proj")), Linear.from(p.under("o_proj")), c.heads(), c.kvHeads(), rotary(c));
    }

    /** The feed-forward sublayer from {@code gate_proj/up_proj/down_proj} or {@code fc1/fc2} in {@code p}. */
    public FeedForward feedForward(Parameters p, ModelConfig c) {
        return c.feedForward() == ModelConfig.FeedForwardKind.SWIGLU
                ? swiGlu.make(Linear.from(p.under("gate_proj")), Linear.from(p.under("up_proj")),
                        Linear.from(p.under("down_proj")))
                : gelu.make(Linear.from(p.under("fc1")), Linear.from(p.under("fc2")));
    }

    /** One block from its parameters (named without the {@code layers.i.} prefix). */
    public Block block(Parameters p, ModelConfig c) {
        return block.make(c.placement(), norm(p.under("input_layernorm"), c), attention(p.under("self_attn"), c),
                norm(p.under("post_attention_layernorm"), c), feedForward(p.under("mlp"), c));
    }

    /** One block of this kit's model, with parameters drawn from {@code seeded}. */
    public Block randomBlock(dev.dojo.tensor.Seeded seeded) {
        return block(config.layerParameters(seeded, ""), config);
    }

    /** An empty rolling KV cache of c's sliding window, which must have one. */
    public KvCache rollingCache(ModelConfig c) {
        if (c.window() == 0) {
            throw new IllegalArgumentException("a rolling cache needs a sliding window; the model has none");
        }
        return rollingCache.make(c.window());
    }

    /** Tiled attention, {@code tile} keys at a time, from {@code q_proj} … {@code o_proj} in {@code p}. */
    public SelfAttention tiledAttention(Parameters p, ModelConfig c, int tile) {
        return tiledAttention.make(Linear.from(p.under("q_proj")), Linear.from(p.under("k_proj")),
                Linear.from(p.under("v_proj")), Linear.from(p.under("o_proj")), c.heads(), c.kvHeads(), rotary(c),
                tile);
    }

    /**
     * Cross-attention from {@code q_proj} … {@code o_proj} in {@code p}, as the kit's attention factory
     * makes it, without RoPE (the memory has no positions of the decoder's).
     *
     * @throws IllegalArgumentException when the kit's attention cannot attend to a memory
     */
    public CrossAttention crossAttention(Parameters p, ModelConfig c) {
        SelfAttention made = attention.make(Linear.from(p.under("q_proj")), Linear.from(p.under("k_proj")),
                Linear.from(p.under("v_proj")), Linear.from(p.under("o_proj")), c.heads(), c.kvHeads(), null);
        if (made instanceof CrossAttention cross) {
            return cross;
        }
        throw new IllegalArgumentException("the kit's attention (" + made.getClass().getSimpleName()
                + ") cannot attend to a memory: it is not a CrossAttention");
    }

    /** One decoder block from its parameters ({@link ModelConfig#layerParameters} of a model with cross-attention). */
    public DecoderBlock decoderBlock(Parameters p, ModelConfig c) {
        return decoderBlock.make(c.placement(), norm(p.under("input_layernorm"), c), attention(p.under("self_attn"), c),
                norm(p.under("cross_attn_layernorm"), c), crossAttention(p.under("cross_attn"), c),
                norm(p.under("post_attention_layernorm"), c), feedForward(p.under("mlp"), c));
    }

    /** The whole tiny model from {@link ModelConfig#randomParameters}-named parameters. */
    public TinyDecoder decoder(Parameters p, ModelConfig c) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            blocks.add(block(p.under("layers." + i), c));
        }
        return new TinyDecoder(p.get("embed_tokens.weight"), blocks, norm(p.under("norm"), c),
                Linear.from(p.under("lm_head")));
    }
}
