package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.compare.Tolerance;
import dev.dojo.junit.ScopedManager;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.LongStream;
import java.util.stream.Stream;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The rolling buffer against a full-cache run: decoding through W slots, one token or a chunk per
 * step, gives the full forward pass under a sliding window of W at every position, past the wrap.
 * GQA attention with RoPE, C = 16, H = 4, H_kv = 2, W = 3, T = 10.
 */
@ExtendWith(ScopedManager.class)
class RollingKvCacheTest {
    private static final Tolerance FLOAT32 = Tolerance.absolute(1e-5);
    private static final int WIDTH = 16;
    private static final int WINDOW = 3;
    private static final int TOKENS = 10;

    static Stream<Arguments> chunksAndSeeds() {
        return Stream.of(1, 2, 4).flatMap(chunk -> LongStream.rangeClosed(1, 5).mapToObj(s -> Arguments.of(chunk, s)));
    }

    @ParameterizedTest(name = "{0} tokens per step, seed {1}")
    @MethodSource("chunksAndSeeds")
    @DisplayName("decoding through a rolling buffer of W slots equals the full pass under a window of W, past the wrap")
    void equalsTheWindowedFullPass(int chunk, long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        Attention attention = Attention.random(seeded, "attention", WIDTH, 4, 2,
                new RotaryEmbedding(4, 10_000, RopePairing.HALF_SPLIT));
        NDArray x = seeded.normal("x", 1, 2, TOKENS, WIDTH);
        NDArray full = attention.forward(x, AttentionMask.slidingWindow(WINDOW));
        RollingKvCache cache = new RollingKvCache(WINDOW);
        NDArray decoded = null;

        for (long t = 0; t < TOKENS; t += chunk) {
            NDArray step = attention.forward(x.get(new NDIndex(":, {}:{}", t, Math.min(TOKENS, t + chunk))),
                    AttentionMask.slidingWindow(WINDOW), cache);
            decoded = decoded == null ? step : decoded.concat(step, 1);
        }

        assertThat(decoded).named("Output decoded through a rolling buffer, " + chunk + " tokens per step")
                .against("the full pass under a window of " + WINDOW).withSeed(seed).withAxes("batch", "pos", "dim")
                .isCloseTo(full, FLOAT32);
    }

    @Test
    @DisplayName("it counts every position appended, and returns the W cached ones oldest first, then the new ones")
    void holdsTheLastWPositions(NDManager manager) {
        RollingKvCache cache = new RollingKvCache(WINDOW);
        for (int t = 0; t < 7; t++) {
            NDArray token = manager.full(new ai.djl.ndarray.types.Shape(1, 1, 1, 2), (float) t);  // position t holds t
            NDArray[] seen = cache.append(token, token);

            float[] positions = seen[0].flatten().toFloatArray();
            assertThat(cache.length()).isEqualTo(t + 1);
            assertThat(seen[0].getShape().get(2)).as("keys returned at position %d", t)
                    .isEqualTo(Math.min(t, WINDOW) + 1);
            assertThat(positions[0]).as("oldest key returned at position %d", t).isEqualTo(Math.max(0, t - WINDOW));
            assertThat(positions[positions.length - 1]).as("newest key at position %d", t).isEqualTo(t);
        }
    }

    @Test
    @DisplayName("a chunk longer than the buffer leaves only its last W tokens cached")
    void longChunk(NDManager manager) {
        RollingKvCache cache = new RollingKvCache(WINDOW);
        NDArray chunk = manager.arange(0f, 5f).reshape(1, 1, 5, 1);                           // positions 0..4
        cache.append(chunk, chunk);
        NDArray next = manager.full(new ai.djl.ndarray.types.Shape(1, 1, 1, 1), 5f);

        NDArray[] seen = cache.append(next, next);

        assertThat(seen[0].flatten().toFloatArray()).containsExactly(2f, 3f, 4f, 5f);
    }

    @Test
    @DisplayName("refuses a buffer of no slots")
    void emptyBuffer() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RollingKvCache(0))
                .withMessage("a rolling buffer needs at least one slot, got 0");
    }
}
