package dev.dojo.katas.rope;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.probes.PositionZero;
import dev.dojo.probes.RelativePosition;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.rope.RotaryEmbeddingGolden.HEAD_SIZE;
import static dev.dojo.katas.rope.RotaryEmbeddingGolden.TOLERANCE;

@ExtendWith(ScopedManager.class)
class RotaryEmbeddingTest {
    private static final long SEED = 11;

    @Test
    @DisplayName("agrees with rotate_half RoPE in PyTorch on seeded inputs and cache lengths")
    void matchesPyTorchRotateHalf(NDManager manager) {
        new RotaryEmbeddingGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its example, after 3 cached tokens")
    void matchesPyTorchStoredExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(RotaryEmbeddingGolden.MODEL);
        long offset = golden.example(manager, "offset").toLongArray()[0];

        NDArray out = RotaryEmbeddingGolden.rope().apply(golden.example(manager, "x"), offset);

        assertThat(out).named("RoPE output after " + offset + " cached tokens").against("PyTorch's stored output")
                .withAxes("batch", "head", "pos", "dim").isCloseTo(golden.example(manager, "out"), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its example, with an empty cache")
    void matchesPyTorchStoredExampleWithEmptyCache(NDManager manager) {
        GoldenModel golden = GoldenModel.named(RotaryEmbeddingGolden.MODEL);

        NDArray out = RotaryEmbeddingGolden.rope().apply(golden.example(manager, "x"), 0);

        assertThat(out).named("RoPE output with an empty cache").against("PyTorch's stored output")
                .withAxes("batch", "head", "pos", "dim").isCloseTo(golden.example(manager, "out_offset0"), TOLERANCE);
    }

    @Test
    @DisplayName("leaves a token at position 0 unchanged")
    void leavesPositionZeroUnchanged(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);

        assertThat(PositionZero.check(RotaryEmbeddingGolden.rope()::apply, seeded, 2, 3, HEAD_SIZE)).holds();
    }

    @Test
    @DisplayName("gives the same attention scores when every position is shifted by the same amount")
    void keepsScoresWhenEveryPositionShifts(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);

        assertThat(RelativePosition.check(RotaryEmbeddingGolden.rope()::apply, seeded, 2, 3, 6, HEAD_SIZE, 5)).holds();
    }

    @Test
    @DisplayName("turns each pair of coordinates (i, i + D/2) without changing its length")
    void keepsEachPairsLength(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, 2, 3, 6, HEAD_SIZE);   // (B, H, T, D)

        NDArray out = RotaryEmbeddingGolden.rope().apply(x, 4);

        assertThat(squaredPairLengths(out)).named("Squared length of each rotated pair")
                .against("the pair's squared length before rotation").withAxes("batch", "head", "pos", "pair")
                .isCloseTo(squaredPairLengths(x), TOLERANCE);
    }

    @Test
    @DisplayName("rotates a continuation after a cached prompt as it rotates the whole sequence at once")
    void continuesFromTheCacheAsInOnePass(NDManager manager) {
        RotaryEmbedding rope = RotaryEmbeddingGolden.rope();
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, 2, 3, 7, HEAD_SIZE);   // (B, H, T, D)

        NDArray prompt = rope.apply(x.get(new NDIndex(":, :, :4")), 0);             // (B, H, 4, D)
        NDArray continuation = rope.apply(x.get(new NDIndex(":, :, 4:")), 4);       // (B, H, 3, D)

        assertThat(prompt.concat(continuation, 2)).named("Prompt and continuation rotated separately")
                .against("the whole sequence rotated at once").withAxes("batch", "head", "pos", "dim")
                .isCloseTo(rope.apply(x, 0), TOLERANCE);
    }

    /** |(x_i, x_{i+D/2})|² for each pair i: (B, H, T, D/2). */
    private static NDArray squaredPairLengths(NDArray x) {
        NDArray first = x.get(new NDIndex("..., :{}", HEAD_SIZE / 2));
        NDArray second = x.get(new NDIndex("..., {}:", HEAD_SIZE / 2));
        return first.square().add(second.square());
    }
}
