package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.TransformerBlock.Placement;
import dev.dojo.reference.TransformerDecoderBlock;
import dev.dojo.tensor.Seeded;
import dev.dojo.variants.Variants;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.probes.ProbeFixtures.assertFailsNaming;

/**
 * The decoder probes hold on torch's decoder-layer weights and fail on miswired cross-attention; they,
 * the window probe and the rolling-buffer probe do not apply where the model has no cross-attention or window.
 */
@ExtendWith(ScopedManager.class)
class DecoderProbesTest {
    private static final int WIDTH = 16;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Placement.class)
    @DisplayName("both decoder probes hold on a decoder block with torch.nn.TransformerDecoderLayer's weights")
    void decoderProbesHold(Placement placement, NDManager manager) {
        String name = placement == Placement.PRE_NORM ? "decoder_layer_prenorm" : "decoder_layer_postnorm";
        TransformerDecoderBlock block = TransformerDecoderBlock.fromTorchDecoderLayer(
                GoldenModel.named(name).parameters(manager).under("layer"), 4, placement);
        Seeded seeded = Seeded.of(manager, 5);
        NDArray x = seeded.normal("x", 1, 2, 7, WIDTH);
        NDArray memory = seeded.normal("memory", 1, 2, 4, WIDTH);

        assertThat(DecoderCausality.check(block, memory, seeded, 8, WIDTH)).holds();
        assertThat(MemoryPaddingIndependence.check(block, x, AttentionMask.causal(seeded.rightPadding(7, 7, 2)), memory,
                seeded.rightPadding(4, 3, 1), seeded)).holds();
    }

    @Test
    @DisplayName("decoder causality fails when cross-attention reads the decoder stream: the future leaks through it")
    void decoderCausalityFails(NDManager manager) {
        ProbeResult result = new DecoderCausality().run(
                Variants.named("cross-attention-on-decoder-stream").orElseThrow().kit(), manager, 1);

        assertFailsNaming(result, "✗ decoder causality: under a causal mask, with the memory fixed, changing token 4"
                + " must leave every output before it unchanged\n");
    }

    @Test
    @DisplayName("memory padding independence fails when the memory is masked with the target's padding")
    void memoryPaddingFails(NDManager manager) {
        ProbeResult result = new MemoryPaddingIndependence().run(
                Variants.named("cross-attention-target-padding").orElseThrow().kit(), manager, 1);

        assertFailsNaming(result, "✗ memory padding independence: changing what the memory's pad tokens hold must"
                + " leave every decoder output unchanged\n  Decoder output with the memory's pads redrawn diverges from its"
                + " output before\n");
    }

    @Test
    @DisplayName("the window, rolling-buffer and decoder probes do not apply to a model without a window or cross-attention")
    void notApplicable(NDManager manager) {
        Kit llama = Kit.reference(ModelConfig.tinyLlama());

        for (Probe probe : new Probe[] {new SlidingWindow(), new RollingBufferEquivalence(), new DecoderCausality(),
                new MemoryPaddingIndependence()}) {
            org.assertj.core.api.Assertions.assertThat(probe.run(llama, manager, 1).verdict()).as(probe.name())
                    .isEqualTo(ProbeResult.Verdict.NOT_APPLICABLE);
        }
    }
}
