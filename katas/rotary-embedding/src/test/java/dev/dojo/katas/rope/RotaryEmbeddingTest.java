package dev.dojo.katas.rope;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.dojo.compare.Tolerance;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.probes.PositionZero;
import dev.dojo.probes.RelativePosition;
import dev.dojo.reference.RopePairing;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.rope.RotaryEmbeddingGolden.HEAD_SIZE;
import static dev.dojo.katas.rope.RotaryEmbeddingGolden.SEED;
import static dev.dojo.katas.rope.RotaryEmbeddingGolden.THETA;
import static dev.dojo.katas.rope.RotaryEmbeddingGolden.TOLERANCE;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Contract:
// - agrees with PyTorch's rotate_half RoPE (head size 8, θ 10000) after a seeded number of cached
//   tokens, and with PyTorch's stored examples after 3 cached tokens and with an empty cache
// - positions count from the cache offset, also after a long cache (4093 tokens) and past 4096 (6000)
// - head sizes 4, 16 and 64 agree with PyTorch
// - θ 500000 (as Llama 3) agrees with the reference rotary embedding
// - batch and head counts other than the golden's, down to a single token, agree with PyTorch
// - one-token decoding steps after a prompt equal the whole sequence rotated at once
// - a continuation of several tokens after a cached prompt equals the whole sequence rotated at once
// - float16 input is turned by the same angles as its float32 values, to float16 precision, also past
//   position 2048
// - an odd head size is rejected with an IllegalArgumentException that names it
// - a token at position 0 comes out unchanged
// - each pair (i, i + D/2) keeps its length
// - attention scores depend only on the distance between positions
@ExtendWith(ScopedManager.class)
class RotaryEmbeddingTest {
    /** float16 keeps about three decimal digits (ε = 2^-10): a few roundings of values up to 4. */
    private static final Tolerance HALF_TOLERANCE = Tolerance.of(4e-3, 4e-3);
    private static final double LLAMA3_THETA = 500_000;

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
    @DisplayName("agrees with PyTorch after a long cache of 4093 tokens")
    void matchesPyTorchAfterALongCache(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, 2, 3, 3, HEAD_SIZE);   // (B, H, T, D)
        long offset = 4093;

        NDArray out = RotaryEmbeddingGolden.rope().apply(x, offset);

        assertThat(out).named("RoPE output after " + offset + " cached tokens").against("PyTorch's rotate_half RoPE")
                .withAxes("batch", "head", "pos", "dim").isCloseTo(pyTorch(manager, x, offset), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with PyTorch after a cache of 6000 tokens, past any 4096-position table")
    void matchesPyTorchPastFourThousandNinetySixPositions(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, 2, 3, 3, HEAD_SIZE);   // (B, H, T, D)
        long offset = 6000;

        NDArray out = RotaryEmbeddingGolden.rope().apply(x, offset);

        assertThat(out).named("RoPE output after " + offset + " cached tokens").against("PyTorch's rotate_half RoPE")
                .withAxes("batch", "head", "pos", "dim").isCloseTo(pyTorch(manager, x, offset), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: head size {0}")
    @ValueSource(ints = {4, 16, 64})
    @DisplayName("agrees with PyTorch for head sizes other than 8")
    void matchesPyTorchForOtherHeadSizes(int headSize, NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, 2, 2, 5, headSize);    // (B, H, T, D)
        long offset = 2;

        NDArray out = new RotaryEmbedding(headSize, THETA).apply(x, offset);

        assertThat(out).named("RoPE output, head size " + headSize).against("PyTorch's rotate_half RoPE")
                .withAxes("batch", "head", "pos", "dim").isCloseTo(pyTorch(manager, x, offset), TOLERANCE);
    }

    @Test
    @DisplayName("agrees with the reference rotary embedding for θ = 500000, as in Llama 3")
    void matchesTheReferenceForLlama3Theta(NDManager manager) {
        int headSize = 64;
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, 2, 2, 5, headSize);    // (B, H, T, D)
        long offset = 9;
        dev.dojo.reference.RotaryEmbedding reference =
                new dev.dojo.reference.RotaryEmbedding(headSize, LLAMA3_THETA, RopePairing.HALF_SPLIT);

        NDArray out = new RotaryEmbedding(headSize, LLAMA3_THETA).apply(x, offset);

        assertThat(out).named("RoPE output, θ 500000").against("the reference rotary embedding")
                .withAxes("batch", "head", "pos", "dim").isCloseTo(reference.apply(x, offset), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: batch {0}, heads {1}, tokens {2}")
    @CsvSource({"1, 1, 1", "3, 5, 4"})
    @DisplayName("agrees with PyTorch for batch, head and token counts other than the golden's")
    void matchesPyTorchForOtherShapes(long batch, long heads, long tokens, NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, batch, heads, tokens, HEAD_SIZE);   // (B, H, T, D)
        long offset = 6;

        NDArray out = RotaryEmbeddingGolden.rope().apply(x, offset);

        assertThat(out).named("RoPE output, shape " + x.getShape()).against("PyTorch's rotate_half RoPE")
                .withAxes("batch", "head", "pos", "dim").isCloseTo(pyTorch(manager, x, offset), TOLERANCE);
    }

    @Test
    @DisplayName("rotates a prompt and then one token per decoding step as it rotates the whole sequence at once")
    void decodesOneTokenAtATimeAsInOnePass(NDManager manager) {
        RotaryEmbedding rope = RotaryEmbeddingGolden.rope();
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, 2, 3, 7, HEAD_SIZE);   // (B, H, T, D)

        NDArray decoded = rope.apply(x.get(new NDIndex(":, :, :3")), 0);            // (B, H, 3, D)
        for (long t = 3; t < 7; t++) {
            NDArray step = rope.apply(x.get(new NDIndex(":, :, {}:{}", t, t + 1)), t);   // (B, H, 1, D)
            decoded = decoded.concat(step, 2);                                      // (B, H, t + 1, D)
        }

        assertThat(decoded).named("Prompt, then one token per step").against("the whole sequence rotated at once")
                .withAxes("batch", "head", "pos", "dim").isCloseTo(rope.apply(x, 0), TOLERANCE);
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

    @Test
    @DisplayName("turns float16 input by the same angles as its float32 values, to float16 precision, far into a long context")
    void rotatesFloat16AsFloat32(NDManager manager) {
        RotaryEmbedding rope = RotaryEmbeddingGolden.rope();
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, 2, 3, 4, HEAD_SIZE)
                .toType(DataType.FLOAT16, false);                                   // (B, H, T, D)
        long offset = 3001;                                          // past 2048, where float16 no longer holds every integer

        NDArray out = rope.apply(x, offset).toType(DataType.FLOAT32, false);

        assertThat(out).named("RoPE output of float16 input, as float32").against("the same values rotated in float32")
                .withAxes("batch", "head", "pos", "dim")
                .isCloseTo(rope.apply(x.toType(DataType.FLOAT32, false), offset), HALF_TOLERANCE);
    }

    @Test
    @DisplayName("rejects an odd head size, naming it")
    void rejectsAnOddHeadSize() {
        assertThatThrownBy(() -> new RotaryEmbedding(7, THETA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7");
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

    /** PyTorch's rotate_half RoPE (θ 10000, any head size) on x: (B, H, T, D) after {@code offset} cached tokens. */
    private static NDArray pyTorch(NDManager manager, NDArray x, long offset) {
        return GoldenModel.named(RotaryEmbeddingGolden.MODEL).run(manager, x, manager.create(offset)).singletonOrThrow();
    }

    /** |(x_i, x_{i+D/2})|² for each pair i: (B, H, T, D/2). */
    private static NDArray squaredPairLengths(NDArray x) {
        NDArray first = x.get(new NDIndex("..., :{}", HEAD_SIZE / 2));
        NDArray second = x.get(new NDIndex("..., {}:", HEAD_SIZE / 2));
        return first.square().add(second.square());
    }
}
