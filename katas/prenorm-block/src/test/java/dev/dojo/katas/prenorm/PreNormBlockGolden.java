package dev.dojo.katas.prenorm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Tolerance;
import dev.dojo.golden.GoldenModel;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.kit.ModelConfig.FeedForwardKind;
import dev.dojo.kit.ModelConfig.NormKind;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.GeluFeedForward;
import dev.dojo.reference.LayerNorm;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.TransformerBlock.Placement;
import dev.dojo.tensor.Seeded;

import java.util.List;

/** PreNormBlock with the weights of torch.nn.TransformerEncoderLayer(norm_first=True), against that layer. */
public final class PreNormBlockGolden implements GoldenCase {
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    static final String MODEL = "encoder_layer_prenorm";
    static final int HEADS = 4;

    /** The block under test, with the golden layer's parameters. */
    static PreNormBlock block(Parameters p) {
        return new PreNormBlock(LayerNorm.from(p.under("norm1")), Attention.fromTorchMultihead(p.under("self_attn"), HEADS),
                LayerNorm.from(p.under("norm2")), GeluFeedForward.fromTorchEncoderLayer(p));
    }

    /** The kata's block in a model shaped like the golden layer: LayerNorm, 4-head attention, GELU, pre-norm. */
    @Override
    public Kit kit() {
        ModelConfig config = new ModelConfig(48, 16, HEADS, HEADS, 32, 2, Placement.PRE_NORM, NormKind.LAYER_NORM,
                false, FeedForwardKind.GELU);
        return Kit.reference(config).named("prenorm-block")
                .withBlock((placement, norm1, attention, norm2, feedForward) ->
                        new PreNormBlock(norm1, attention, norm2, feedForward));
    }

    @Override
    public Tolerance tolerance() {
        return TOLERANCE;
    }

    @Override
    public Outputs run(NDManager manager, long seed) {
        GoldenModel golden = GoldenModel.named(MODEL);
        NDArray x = Seeded.of(manager, seed).normal("x", 1, 2, 8, 16);       // (B, T, C)
        NDArray actual = block(golden.parameters(manager)).forward(x, AttentionMask.none());
        NDArray expected = golden.run(manager, x).singletonOrThrow();
        return new Outputs(actual, expected, "Block output",
                "PyTorch's TransformerEncoderLayer(norm_first=True)", List.of("batch", "pos", "dim"));
    }
}
