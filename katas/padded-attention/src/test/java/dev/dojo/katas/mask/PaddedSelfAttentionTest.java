package dev.dojo.katas.mask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.probes.BatchIndependence;
import dev.dojo.probes.PaddingIndependence;
import dev.dojo.reference.AttentionMask;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.mask.PaddedSelfAttentionGolden.BATCH;
import static dev.dojo.katas.mask.PaddedSelfAttentionGolden.TOKENS;
import static dev.dojo.katas.mask.PaddedSelfAttentionGolden.TOLERANCE;
import static dev.dojo.katas.mask.PaddedSelfAttentionGolden.WIDTH;

@ExtendWith(ScopedManager.class)
class PaddedSelfAttentionTest {
    private static final long SEED = 7;

    @Test
    @DisplayName("agrees with torch.nn.MultiheadAttention on a seeded batch of padded sentences")
    void matchesPyTorchMultiheadAttention(NDManager manager) {
        new PaddedSelfAttentionGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its padded example")
    void matchesPyTorchStoredExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(PaddedSelfAttentionGolden.MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);

        NDArray out = attention.forward(golden.example(manager, "x"),
                AttentionMask.padding(golden.example(manager, "padding")));

        assertThat(out).named("Attention output").against("PyTorch's stored output").withAxes("batch", "pos", "dim")
                .isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its causal, padded example")
    void matchesPyTorchStoredCausalExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(PaddedSelfAttentionGolden.CAUSAL_MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);

        NDArray out = attention.forward(golden.example(manager, "x"),
                AttentionMask.causal(golden.example(manager, "padding")));

        assertThat(out).named("Causal attention output").against("PyTorch's stored output")
                .withAxes("batch", "pos", "dim").isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @Test
    @DisplayName("gives a real token the same output whatever the pad tokens hold")
    void ignoresWhatThePadsHold(NDManager manager) {
        GoldenModel golden = GoldenModel.named(PaddedSelfAttentionGolden.MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);

        assertThat(PaddingIndependence.check(attention::forward, x, padding, false, seeded)).holds();
    }

    @Test
    @DisplayName("computes each sentence of a padded batch as if it were alone")
    void keepsSentencesIndependent(NDManager manager) {
        GoldenModel golden = GoldenModel.named(PaddedSelfAttentionGolden.MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, 4, 2);

        assertThat(BatchIndependence.check(attention::forward, x, padding, false, SEED)).holds();
    }

    @Test
    @DisplayName("agrees with torch.nn.MultiheadAttention on a batch without pads")
    void matchesPyTorchWithoutPads(NDManager manager) {
        GoldenModel golden = GoldenModel.named(PaddedSelfAttentionGolden.MODEL);
        PaddedSelfAttention attention = PaddedSelfAttentionGolden.attention(golden, manager);
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, BATCH, TOKENS, WIDTH);
        NDArray padding = seeded.rightPadding(TOKENS, TOKENS, TOKENS, TOKENS);

        NDArray out = attention.forward(x, AttentionMask.padding(padding));

        assertThat(out).named("Attention output").against("PyTorch's MultiheadAttention").withSeed(SEED)
                .withAxes("batch", "pos", "dim").isCloseTo(golden.run(manager, x, padding).singletonOrThrow(), TOLERANCE);
    }
}
