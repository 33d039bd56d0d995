package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.DecoderBlock;
import dev.dojo.tensor.Seeded;

/**
 * Decoder causality: in a decoder block with cross-attention, with the encoder's memory fixed,
 * changing target token t leaves every output before t unchanged, as {@link Causality} asks of a
 * decoder-only block. Cross-attention that takes its keys and values from the decoder stream instead
 * of the memory lets every target token see the future. Not applicable when the model has no
 * cross-attention. Needs no reference implementation.
 * <p>
 * Blind spots: those of {@link Causality}; the memory is fixed, unpadded and of one length (5).
 */
public final class DecoderCausality implements Probe {
    public static final String NAME = "decoder causality";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "with the memory fixed, changing target token t leaves every decoder output before t unchanged";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        if (!c.crossAttention()) {
            return ProbeResult.notApplicable(NAME, property(), "the model has no cross-attention");
        }
        Seeded seeded = Seeded.of(manager, seed);
        DecoderBlock block = kit.decoderBlock(c.layerParameters(seeded, ""), c);
        NDArray memory = seeded.normal("decoder-causality.memory", 1, 2, 5, c.width());
        return check(block, memory, seeded, 8, c.width());
    }

    /** Runs {@code block} on a target of T tokens and the fixed {@code memory}: (B, S, C), with token T/2 redrawn. */
    public static ProbeResult check(DecoderBlock block, NDArray memory, Seeded seeded, long tokens, long width) {
        return Causality.check(NAME, "under a causal mask, with the memory fixed",
                (x, mask) -> block.forward(x, memory, mask, AttentionMask.none()), seeded, memory.getShape().get(0),
                tokens, width, tokens / 2);
    }
}
