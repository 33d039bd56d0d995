package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.DecoderBlock;
import dev.dojo.tensor.Seeded;

import java.util.List;

/**
 * Memory padding independence: a decoder block's output ignores what the encoder memory's pad tokens
 * hold. The probe runs the block twice, with the memory's pads redrawn, under a target mask that is
 * causal and padded differently from the memory, and compares every target position. Cross-attention
 * masked with the target's padding instead of the memory's lets memory pads through. Target and
 * memory have the same length (6), so a mask taken from the wrong sequence still fits. Not applicable
 * when the model has no cross-attention. Needs no reference implementation.
 * <p>
 * Blind spots: it sees leaks from the memory's pads only, so a memory mask that hides real memory
 * tokens too passes; one layout, right padding.
 */
public final class MemoryPaddingIndependence implements Probe {
    public static final String NAME = "memory padding independence";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-6, 1e-5);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "changing what the memory's pad tokens hold leaves every decoder output unchanged";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        if (!c.crossAttention()) {
            return ProbeResult.notApplicable(NAME, property(), "the model has no cross-attention");
        }
        Seeded seeded = Seeded.of(manager, seed);
        DecoderBlock block = kit.decoderBlock(c.layerParameters(seeded, ""), c);
        NDArray x = seeded.normal("memory-padding.x", 1, 2, 6, c.width());
        NDArray memory = seeded.normal("memory-padding.memory", 1, 2, 6, c.width());
        return check(block, x, AttentionMask.causal(seeded.rightPadding(6, 6, 5)), memory,
                seeded.rightPadding(6, 4, 3), seeded);
    }

    /** x: (B, T, C) under {@code targetMask}; memory: (B, S, C) with {@code memoryPadding}: (B, S), 1 for tokens, 0 for pads. */
    public static ProbeResult check(DecoderBlock block, NDArray x, AttentionMask targetMask, NDArray memory,
                                    NDArray memoryPadding, Seeded seeded) {
        NDArray repadded = PaddingIndependence.repad(memory, memoryPadding, seeded,
                "memory-padding.noise");                                                   // pads redrawn
        AttentionMask memoryMask = AttentionMask.padding(memoryPadding);
        NDArray before = block.forward(x, memory, targetMask, memoryMask);                 // (B, T, C)
        NDArray after = block.forward(x, repadded, targetMask, memoryMask);                // (B, T, C)
        return new ProbeResult(NAME, "changing what the memory's pad tokens hold must leave every decoder output"
                + " unchanged", Comparison.of(after, before, TOLERANCE), "Decoder output with the memory's pads redrawn",
                "its output before", List.of("batch", "pos", "dim"), seeded.seed());
    }
}
