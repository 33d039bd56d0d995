package dev.dojo.katas.prenorm;

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
import dev.dojo.reference.Parameters;
import dev.dojo.tensor.Seeded;

import java.util.List;

/**
 * PreNormBlock with the weights of torch.nn.TransformerEncoderLayer(norm_first=True), against that layer.
 * B batch, T tokens, C model width.
 */
public final class PreNormBlockGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(7);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    static final String MODEL = "encoder_layer_prenorm";
    static final int HEADS = 4;
    static final int WIDTH = 16;

    /** The block under test, with the golden layer's parameters. */
    static PreNormBlock block(Parameters p) {
        return new PreNormBlock(LayerNorm.from(p.under("norm1")),
                Attention.fromTorchMultihead(p.under("self_attn"), HEADS), LayerNorm.from(p.under("norm2")),
                GeluFeedForward.fromTorchEncoderLayer(p));
    }

    /**
     * The golden layer run by PyTorch under {@code mask}, in PyTorch's conventions: src_mask (T, T)
     * true where a query may not see a key, src_key_padding_mask (B, T) true at pads.
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

    /** The reference parts of a model shaped by {@code config}, with the kata's block in place of the reference's. */
    static Kit kit(ModelConfig config) {
        return Kit.reference(config).named("prenorm-block")
                .withBlock((placement, norm1, attention, norm2, feedForward) ->
                        new PreNormBlock(norm1, attention, norm2, feedForward));
    }

    /** The kata's block in a model shaped like the golden layer: LayerNorm, 4-head attention, GELU, pre-norm. */
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
        GoldenModel golden = GoldenModel.named(MODEL);
        NDArray x = Seeded.of(manager, seed).normal("x", new Shape(2, 8, WIDTH));     // (B, T, C)
        NDArray actual = block(golden.parameters(manager)).forward(x, AttentionMask.none());
        NDArray expected = golden.run(manager, x).singletonOrThrow();
        return new Outputs(actual, expected, "Block output",
                "PyTorch's TransformerEncoderLayer(norm_first=True)", List.of("batch", "pos", "dim"));
    }
}
