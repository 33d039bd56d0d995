package dev.dojo.katas.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dojo.compare.Tolerance;
import dev.dojo.golden.GoldenModel;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.TransformerBlock.Placement;
import dev.dojo.tensor.Seeded;

import java.util.List;
import java.util.SplittableRandom;

/**
 * TransformerDecoderLayer(norm_first=True) with the weights of torch.nn.TransformerDecoderLayer, against
 * that layer, on a batch of right-padded targets under the causal mask and a right-padded memory of
 * another length, as a translation model's decoder sees them in training.
 * B batch, T target tokens, S memory tokens, C model width.
 */
public final class TransformerDecoderLayerGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(11);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    /** torch.nn.TransformerDecoderLayer(16, 4, norm_first=True). */
    static final String PRE_NORM_MODEL = "decoder_layer_prenorm";
    /** torch.nn.TransformerDecoderLayer(16, 4, norm_first=False), with other weights. */
    static final String POST_NORM_MODEL = "decoder_layer_postnorm";
    static final int HEADS = 4;
    static final int WIDTH = 16;
    static final int BATCH = 3;
    static final int TOKENS = 6;
    static final int MEMORY_TOKENS = 9;

    @Override
    public long seed() {
        return SEED;
    }

    @Override
    public Tolerance tolerance() {
        return TOLERANCE;
    }

    /** The kata's layer in an encoder-decoder model shaped like the golden's, pre-norm: LayerNorm, 4 heads, GELU. */
    @Override
    public Kit kit() {
        return Kit.reference(ModelConfig.tinyEncoderDecoder().withPlacement(Placement.PRE_NORM)).named("decoder-layer")
                .withDecoderBlock((placement, norm1, selfAttention, norm2, crossAttention, norm3, feedForward) ->
                        new TransformerDecoderLayer(placement == Placement.PRE_NORM, selfAttention, crossAttention,
                                feedForward, norm1, norm2, norm3));
    }

    /** The layer under test, with the weights of the golden layer {@code model}. */
    static TransformerDecoderLayer layer(NDManager manager, String model) {
        return TransformerDecoderLayer.fromTorch(GoldenModel.named(model).parameters(manager).under("layer"), HEADS,
                model.equals(PRE_NORM_MODEL));
    }

    /**
     * The golden layer {@code model} run by PyTorch: a causal tgt_mask, and key padding masks from the
     * two paddings (B, T) and (B, S), 1 for tokens and 0 for pads; a null padding has no pads.
     */
    static NDArray torchLayer(NDManager manager, String model, NDArray tgt, NDArray memory, NDArray tgtPadding,
                              NDArray memoryPadding) {
        NDArray targetPads = tgtPadding != null ? tgtPadding
                : manager.ones(new Shape(tgt.getShape().get(0), tgt.getShape().get(1)));        // (B, T)
        NDArray memoryPads = memoryPadding != null ? memoryPadding
                : manager.ones(new Shape(memory.getShape().get(0), memory.getShape().get(1)));  // (B, S)
        return GoldenModel.named(model).run(manager, tgt, memory, targetPads, memoryPads).singletonOrThrow();
    }

    /** Sequence lengths drawn from {@code seeded}: one item of full length, every other between 1 and T - 1. */
    static long[] lengths(Seeded seeded, String name, int batch, int tokens) {
        SplittableRandom random = seeded.stream(name);
        int full = random.nextInt(batch);
        long[] lengths = new long[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = b == full ? tokens : 1 + random.nextInt(tokens - 1);
        }
        return lengths;
    }

    @Override
    public Outputs run(NDManager manager, long seed) {
        Seeded seeded = Seeded.of(manager, seed);
        NDArray tgt = seeded.normal("tgt", 1, BATCH, TOKENS, WIDTH);                                    // (B, T, C)
        NDArray memory = seeded.normal("memory", 1, BATCH, MEMORY_TOKENS, WIDTH);                       // (B, S, C)
        NDArray tgtPadding = seeded.rightPadding(TOKENS, lengths(seeded, "tgt lengths", BATCH, TOKENS));  // (B, T)
        NDArray memoryPadding = seeded.rightPadding(MEMORY_TOKENS,
                lengths(seeded, "memory lengths", BATCH, MEMORY_TOKENS));                                 // (B, S)
        NDArray actual = layer(manager, PRE_NORM_MODEL).forward(tgt, memory, AttentionMask.causal(tgtPadding),
                AttentionMask.padding(memoryPadding));
        NDArray expected = torchLayer(manager, PRE_NORM_MODEL, tgt, memory, tgtPadding, memoryPadding);
        return new Outputs(actual, expected, "Decoder layer output",
                "PyTorch's TransformerDecoderLayer(norm_first=True)", List.of("batch", "pos", "dim"));
    }
}
