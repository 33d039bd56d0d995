package dev.dojo.probes;

import ai.djl.ndarray.NDManager;
import dev.dojo.junit.ScopedManager;
import dev.dojo.reference.Attention;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;
import dev.dojo.variants.Variants;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.probes.ProbeFixtures.assertFailsNaming;

/**
 * The sliding-window probe holds on the reference attention at every window and fails on a window of W + 1.
 */
@ExtendWith(ScopedManager.class)
class SlidingWindowTest {
    private static final int WIDTH = 16;

    @ParameterizedTest(name = "W = {0}")
    @ValueSource(ints = {1, 2, 3, 5})
    @DisplayName("the sliding-window probe holds on the reference attention at every window size")
    void windowHolds(int window, NDManager manager) {
        Seeded seeded = Seeded.of(manager, window);
        Attention attention = Attention.random(seeded, "attention", WIDTH, 4, 2, rope());

        assertThat(SlidingWindow.check(Attention::new, attention.wq(), attention.wk(), 4, 2, attention.rope(), window,
                seeded, 2, 12, WIDTH)).holds();
    }

    @Test
    @DisplayName("the sliding-window probe fails when each query sees W + 1 keys, naming a query and the key it should not see")
    void windowFails(NDManager manager) {
        ProbeResult result = new SlidingWindow().run(Variants.named("window-one-too-wide").orElseThrow().kit(),
                manager, 1);

        assertFailsNaming(result, "✗ sliding window: under a sliding window of 3, query i must attend to keys i-2..i and"
                + " to no other\n  Keys each query gives weight to (1 = seen) diverges from the window's keys\n");
        org.assertj.core.api.Assertions.assertThat(result.report()).contains("worst: |Δ| = 1 at [batch 0, head 0,"
                + " query 3, key 0] (actual 1, expected 0");
    }

    private static RotaryEmbedding rope() {
        return new RotaryEmbedding(4, 10_000, RopePairing.HALF_SPLIT);
    }
}
