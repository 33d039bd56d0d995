package dev.dojo.variants;

import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The catalogue of known-bad variants: each is a reference kit with one part replaced by a copy of
 * the reference part with a bug people ship. Llama-shaped variants (RMSNorm, GQA, RoPE, SwiGLU,
 * pre-norm) use {@link ModelConfig#tinyLlama()}; LayerNorm and post-norm ones use
 * {@link ModelConfig#tinyPostNorm()}; sliding-window and rolling-buffer ones
 * {@link ModelConfig#tinyMistral()}; cross-attention ones {@link ModelConfig#tinyEncoderDecoder()}.
 */
public final class Variants {
    private Variants() {}

    /** Every variant, grouped by family, in the order reports list them. */
    public static List<Variant> all() {
        return List.of(
                new Variant("prenorm-residual-from-norm", "residual placement",
                        "the pre-norm residual carries norm(x) instead of x", llama("prenorm-residual-from-norm")
                        .withBlock(PreNormFromNormBlock::new),
                        Set.of(Variant.Feature.PRE_NORM)),
                new Variant("postnorm-sublayer-norm", "residual placement",
                        "the post-norm block normalizes the sublayer output, x + norm(f(x)), not the sum",
                        postNorm("postnorm-sublayer-norm").withBlock(SublayerNormBlock::new),
                        Set.of(Variant.Feature.POST_NORM)),
                new Variant("mask-on-query-axis", "mask broadcast on the wrong axis",
                        "the padding mask is shaped (B, 1, T, 1), masking queries instead of keys",
                        llama("mask-on-query-axis").withAttention(QueryAxisMaskAttention::new)),
                new Variant("causal-off-by-one", "causal mask",
                        "the causal mask lets each query see one future token",
                        llama("causal-off-by-one").withAttention(CausalOffByOneAttention::new)),
                new Variant("causal-mask-missing", "causal mask",
                        "the causal mask is never applied", llama("causal-mask-missing")
                        .withAttention(NoCausalMaskAttention::new)),
                new Variant("softmax-over-queries", "softmax axis",
                        "the attention softmax normalizes over the query axis (-2) instead of the keys (-1)",
                        llama("softmax-over-queries").withAttention(SoftmaxOverQueriesAttention::new)),
                new Variant("rope-from-one", "RoPE positions",
                        "RoPE counts positions from 1", llama("rope-from-one").withRotary(RopeFromOne::new)),
                new Variant("rope-ignores-offset", "RoPE positions",
                        "RoPE numbers positions from 0 in every call, ignoring the cache offset",
                        llama("rope-ignores-offset").withRotary(RopeIgnoringOffset::new)),
                new Variant("rope-rotate-half-sign", "RoPE pairing",
                        "rotate_half forgets the minus sign, so RoPE is no rotation",
                        llama("rope-rotate-half-sign").withRotary(RopeUnsignedRotateHalf::new)),
                new Variant("rope-offset-queries-only", "KV cache offset",
                        "with a cache, queries are rotated at the offset but keys from position 0",
                        llama("rope-offset-queries-only").withAttention(QueriesOnlyOffsetAttention::new),
                        Set.of(Variant.Feature.ROPE)),
                new Variant("cache-keys-before-rope", "KV cache offset",
                        "the cache stores keys before RoPE and rotates all of them at the newest offset",
                        llama("cache-keys-before-rope").withAttention(RotateCachedKeysAttention::new),
                        Set.of(Variant.Feature.ROPE)),
                new Variant("decode-mask-offset-zero", "KV cache offset",
                        "the causal mask ignores the cache offset, as if the new tokens sat at position 0",
                        llama("decode-mask-offset-zero").withAttention(DecodeMaskAtZeroAttention::new)),
                new Variant("gqa-tile", "GQA grouping",
                        "KV heads are tiled (query head h reads KV head h mod H_kv) instead of repeated in place",
                        llama("gqa-tile").withAttention(TiledKvHeadsAttention::new),
                        Set.of(Variant.Feature.GROUPED_KV_HEADS)),
                new Variant("heads-split-without-transpose", "head split and merge",
                        "heads are split with a plain reshape to (B, H, T, D), without the transpose",
                        llama("heads-split-without-transpose").withAttention(SplitWithoutTransposeAttention::new)),
                new Variant("heads-merge-without-transpose", "head split and merge",
                        "heads are merged with a plain reshape to (B, T, H·D), without the transpose",
                        llama("heads-merge-without-transpose").withAttention(MergeWithoutTransposeAttention::new)),
                new Variant("layernorm-over-sequence", "norm over the wrong axis",
                        "LayerNorm takes its statistics over the sequence axis instead of the features",
                        postNorm("layernorm-over-sequence").withLayerNorm(LayerNormOverSequence::new)),
                new Variant("rmsnorm-over-everything", "norm over the wrong axis",
                        "RMSNorm takes its mean square over the whole tensor (no axis), mixing samples and tokens",
                        llama("rmsnorm-over-everything").withRmsNorm(RmsNormOverEverything::new)),
                new Variant("layernorm-no-centering", "norm statistics",
                        "LayerNorm divides x, not x - mean, by the standard deviation",
                        postNorm("layernorm-no-centering").withLayerNorm(LayerNormWithoutCentering::new)),
                new Variant("rmsnorm-no-sqrt", "norm statistics",
                        "RMSNorm divides by the mean square, not its square root",
                        llama("rmsnorm-no-sqrt").withRmsNorm(RmsNormWithoutSqrt::new)),
                new Variant("rmsnorm-unused-gain", "gradient flow",
                        "RMSNorm never multiplies by its weight, a parameter nothing then trains",
                        llama("rmsnorm-unused-gain").withRmsNorm(RmsNormWithoutGain::new)),
                new Variant("kv-detached", "gradient flow",
                        "attention reads keys and values back from a cache that stores them detached",
                        llama("kv-detached").withAttention(DetachedCacheAttention::new)),
                new Variant("softmax-without-max", "numerical stability",
                        "a hand-written softmax exponentiates scores without subtracting the row maximum",
                        llama("softmax-without-max").withAttention(UnshiftedSoftmaxAttention::new)),
                new Variant("mask-fill-neg-inf", "numerical stability",
                        "masked scores are filled with -inf, so a row with nothing to see becomes NaN",
                        llama("mask-fill-neg-inf").withAttention(InfiniteMaskAttention::new)),
                new Variant("mask-after-softmax", "mask and softmax order",
                        "the mask zeroes probabilities after the softmax, so rows no longer sum to 1",
                        llama("mask-after-softmax").withAttention(MaskAfterSoftmaxAttention::new)),
                new Variant("window-one-too-wide", "sliding window",
                        "the sliding window keeps keys with i - j <= W, so each query sees W + 1 of them",
                        mistral("window-one-too-wide").withAttention(WindowOneTooWideAttention::new),
                        Set.of(Variant.Feature.SLIDING_WINDOW)),
                new Variant("window-wrong-side", "sliding window",
                        "the sliding window cuts keys W or more after the query instead of before it, so it cuts none",
                        mistral("window-wrong-side").withAttention(WindowOnWrongSideAttention::new),
                        Set.of(Variant.Feature.SLIDING_WINDOW)),
                new Variant("rolling-write-slot", "rolling buffer",
                        "after the wrap the rolling buffer writes every token into slot 0 (min(t, W) mod W), not"
                                + " slot t mod W", mistral("rolling-write-slot").withRollingCache(WrapToSlotZeroCache::new),
                        Set.of(Variant.Feature.SLIDING_WINDOW)),
                new Variant("rolling-read-unrotated", "rolling buffer",
                        "the rolling buffer reads its slots in storage order, not oldest first, once it has wrapped",
                        mistral("rolling-read-unrotated").withRollingCache(UnrotatedReadCache::new),
                        Set.of(Variant.Feature.SLIDING_WINDOW)),
                new Variant("online-softmax-sum-unscaled", "online softmax",
                        "tiled attention does not rescale its running sum when a tile raises the running maximum",
                        llama("online-softmax-sum-unscaled").withTiledAttention(UnscaledSumTiledAttention::new)),
                new Variant("online-softmax-accumulator-unscaled", "online softmax",
                        "tiled attention does not rescale its accumulator when a tile raises the running maximum",
                        llama("online-softmax-accumulator-unscaled")
                                .withTiledAttention(UnscaledAccumulatorTiledAttention::new)),
                new Variant("cross-attention-on-decoder-stream", "cross-attention wiring",
                        "the decoder's cross-attention takes keys and values from the decoder stream, not the memory",
                        encoderDecoder("cross-attention-on-decoder-stream")
                                .withDecoderBlock(DecoderStreamCrossAttentionBlock::new),
                        Set.of(Variant.Feature.CROSS_ATTENTION)),
                new Variant("cross-attention-target-padding", "cross-attention wiring",
                        "the decoder's cross-attention masks the memory with the target's padding",
                        encoderDecoder("cross-attention-target-padding")
                                .withDecoderBlock(TargetPaddingCrossAttentionBlock::new),
                        Set.of(Variant.Feature.CROSS_ATTENTION)));
    }

    /** The variants whose bug could be in {@code component}'s replaced part, given its model. */
    public static List<Variant> applicableTo(Kit component) {
        return all().stream().filter(v -> v.appliesTo(component)).toList();
    }

    /** The variant called {@code name}, if there is one. */
    public static Optional<Variant> named(String name) {
        return all().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** The reference kits the variants are built from: a correct implementation of each configuration. */
    public static List<Kit> references() {
        return List.of(Kit.reference(ModelConfig.tinyLlama()).named("reference (llama)"),
                Kit.reference(ModelConfig.tinyPostNorm()).named("reference (post-norm)"),
                Kit.reference(ModelConfig.tinyMistral()).named("reference (mistral)"),
                Kit.reference(ModelConfig.tinyEncoderDecoder()).named("reference (encoder-decoder)"));
    }

    private static Kit llama(String name) {
        return Kit.reference(ModelConfig.tinyLlama()).named(name);
    }

    private static Kit mistral(String name) {
        return Kit.reference(ModelConfig.tinyMistral()).named(name);
    }

    private static Kit encoderDecoder(String name) {
        return Kit.reference(ModelConfig.tinyEncoderDecoder()).named(name);
    }

    private static Kit postNorm(String name) {
        return Kit.reference(ModelConfig.tinyPostNorm()).named(name);
    }
}
