package dev.dojo.katas.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.compare.Tolerance;
import dev.dojo.golden.GoldenModel;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.GeluFeedForward;
import dev.dojo.reference.LayerNorm;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Parameters;
import dev.dojo.tensor.Seeded;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * EncoderLayer with the weights of torch.nn.TransformerEncoderLayer(norm_first=True), against that layer,
 * under a causal mask. B batch, T tokens, C model width.
 */
public final class EncoderLayerGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(3);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    static final String MODEL = "encoder_layer_prenorm";
    static final int HEADS = 4;
    static final int WIDTH = 16;

    /** The layer under test, with torch's parameter names (self_attn.in_proj_weight, linear1, norm1, …). */
    static EncoderLayer layer(Parameters p) {
        return new EncoderLayer(LayerNorm.from(p.under("norm1")),
                new Linear(p.get("self_attn.in_proj_weight"), p.get("self_attn.in_proj_bias")),
                Linear.from(p.under("self_attn.out_proj")), HEADS, LayerNorm.from(p.under("norm2")),
                GeluFeedForward.fromTorchEncoderLayer(p));
    }

    /** The layer under test with the golden layer's parameters. */
    static EncoderLayer goldenLayer(NDManager manager) {
        return layer(GoldenModel.named(MODEL).parameters(manager));
    }

    /** q, k and v of the reference attention packed as torch packs them: C → 3C, rows q, k, v; a missing bias is 0. */
    static Linear packed(Attention a) {
        NDArray weight = a.wq().weight().concat(a.wk().weight(), 0).concat(a.wv().weight(), 0);   // (3C, C)
        if (a.wq().bias() == null && a.wk().bias() == null && a.wv().bias() == null) {
            return new Linear(weight, null);
        }
        NDArray bias = bias(a.wq()).concat(bias(a.wk()), 0).concat(bias(a.wv()), 0);              // (3C)
        return new Linear(weight, bias);
    }

    private static NDArray bias(Linear linear) {
        return linear.bias() != null ? linear.bias() : linear.weight().getManager().zeros(new Shape(linear.out()));
    }

    /**
     * The golden layer run by PyTorch under {@code mask}, in PyTorch's conventions: src_mask (T, T) true where
     * a query may not see a key, src_key_padding_mask (B, T) true at pads. PyTorch gives NaN where a query sees no key.
     */
    static NDArray torchLayer(NDManager manager, NDArray x, AttentionMask mask) {   // x: (B, T, C)
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        NDArray queries = manager.arange(tokens).reshape(tokens, 1);                 // (T, 1)
        NDArray keys = manager.arange(tokens).reshape(1, tokens);                    // (1, T)
        NDArray srcMask = mask.causal() ? keys.gt(queries)                           // (T, T)
                : manager.zeros(new Shape(tokens, tokens), DataType.BOOLEAN);
        NDArray keyPaddingMask = mask.padding() == null                              // (B, T)
                ? manager.zeros(new Shape(batch, tokens), DataType.BOOLEAN)
                : mask.padding().eq(0);
        return GoldenModel.named(MODEL).run(manager, x, srcMask, keyPaddingMask).singletonOrThrow();
    }

    /**
     * The reference parts of a model shaped by {@code config}, with the kata's layer in place of the reference block.
     * The layer computes its attention itself, from the weights of the attention the kit makes for it. A traced kit
     * (the layer-by-layer report) hands the block factory that attention wrapped in a recorder, so the factory
     * takes the weights of the attention made last: {@link Kit#block} makes each block's attention just before
     * the block.
     */
    static Kit kit(ModelConfig config) {
        AtomicReference<Attention> made = new AtomicReference<>();
        return Kit.reference(config).named("encoder-layer")
                .withAttention((q, k, v, o, heads, kvHeads, rope) -> {
                    Attention attention = new Attention(q, k, v, o, heads, kvHeads, rope);
                    made.set(attention);
                    return attention;
                })
                .withBlock((placement, norm1, attention, norm2, feedForward) -> {
                    Attention a = attention instanceof Attention weights ? weights : made.get();
                    return new EncoderLayer(norm1, packed(a), a.wo(), a.heads(), norm2, feedForward);
                });
    }

    /** The kata's layer in a model shaped like the golden layer: LayerNorm, 4-head attention, GELU, pre-norm. */
    @Override
    public Kit kit() {
        return kit(ModelConfig.tinyPreNormEncoder());
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
        NDArray x = Seeded.of(manager, seed).normal("x", new Shape(2, 8, WIDTH));     // (B, T, C)
        NDArray actual = goldenLayer(manager).forward(x, AttentionMask.causalOnly());
        NDArray expected = torchLayer(manager, x, AttentionMask.causalOnly());
        return new Outputs(actual, expected, "Encoder layer output, causal",
                "PyTorch's TransformerEncoderLayer(norm_first=True)", List.of("batch", "pos", "dim"));
    }
}
