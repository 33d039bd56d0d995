package dev.dojo.drills;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.junit.ScopedManager;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Block;
import dev.dojo.tensor.Autograd;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static dev.dojo.assertions.DojoAssertions.assertThat;

// Contract: a drill's block, built from the reference norms, attention and feed-forward of the drill's
// model, against the reference block on the same weights and inputs (B 3, T 6):
// - the drill's first case, with its mask layout, and the full evidence when it fails
// - every mask layout: none, causal, padding on the right or left, causal with either (real tokens)
// - a single token; the input's gradient under a causal mask
/** The contract every drill's block is held to: a drill's test class extends it with the drill's case. */
@ExtendWith(ScopedManager.class)
public abstract class BlockContract {
    private final BlockCase drill;

    protected BlockContract(BlockCase drill) {
        this.drill = drill;
    }

    @Test
    @DisplayName("agrees with the reference block on the drill's first case")
    public void firstCase(NDManager manager) {
        drill.assertAgrees(manager, drill.seed());
    }

    @ParameterizedTest(name = "agrees with the reference block under {0}")
    @EnumSource(MaskLayout.class)
    public void everyMaskLayout(MaskLayout layout, NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        NDArray x = seeded.normal("x", 1, DrillConfig.BATCH, DrillConfig.TOKENS, model().width());      // (B, T, C)
        NDArray padding = layout.padding(seeded, DrillConfig.BATCH, DrillConfig.TOKENS);                // (B, T) or null

        agrees("Block output with " + layout, MaskLayout.realTokens(block(seeded).forward(x, layout.mask(padding)), padding),
                MaskLayout.realTokens(reference(seeded).forward(x, layout.mask(padding)), padding));
    }

    @Test
    @DisplayName("agrees with the reference block on a single token")
    public void singleToken(NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        NDArray x = seeded.normal("x", 1, DrillConfig.BATCH, 1, model().width());                        // (B, 1, C)

        agrees("Block output for one token", block(seeded).forward(x, AttentionMask.causalOnly()),
                reference(seeded).forward(x, AttentionMask.causalOnly()));
    }

    @Test
    @DisplayName("the input's gradient agrees with the reference's, under a causal mask")
    public void inputGradient(NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        NDArray x = seeded.normal("x", 1, DrillConfig.BATCH, DrillConfig.TOKENS, model().width());      // (B, T, C)
        NDArray r = seeded.normal("r", 1, DrillConfig.BATCH, DrillConfig.TOKENS, model().width());      // (B, T, C)

        NDArray mine = Autograd.gradients(List.of(x), in -> block(seeded).forward(in.get(0), AttentionMask.causalOnly())
                .mul(r)).get(0);
        NDArray theirs = Autograd.gradients(List.of(x), in -> reference(seeded)
                .forward(in.get(0), AttentionMask.causalOnly()).mul(r)).get(0);

        agrees("Gradient of the input", mine, theirs);
    }

    private ModelConfig model() {
        return drill.config().model();
    }

    private Block block(Seeded seeded) {
        return drill.kit().block(drill.weights(seeded), model());
    }

    private Block reference(Seeded seeded) {
        return drill.referenceKit().block(drill.weights(seeded), model());
    }

    private void agrees(String subject, NDArray actual, NDArray expected) {
        assertThat(actual).named(subject).against("the reference block").withSeed(drill.seed())
                .withAxes("batch", "pos", "dim").isCloseTo(expected, PartCase.TOLERANCE);
    }
}
