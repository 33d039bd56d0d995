package dev.dojo.probes;

import ai.djl.ndarray.NDManager;
import dev.dojo.junit.ScopedManager;
import dev.dojo.reference.Attention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.RollingKvCache;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;
import dev.dojo.variants.Variants;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.probes.ProbeFixtures.assertFailsNaming;

/**
 * The rolling-buffer probe holds on the reference buffer (and a full cache) and fails when a slot is
 * wrong after the wrap.
 */
@ExtendWith(ScopedManager.class)
class RollingBufferEquivalenceTest {
    private static final int WIDTH = 16;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    @DisplayName("decoding through the reference rolling buffer, or through a full cache, equals the windowed full pass")
    void rollingBufferHolds(long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        Attention attention = Attention.random(seeded, "attention", WIDTH, 4, 2, rope());

        assertThat(RollingBufferEquivalence.check(attention, () -> new RollingKvCache(3), 3, seeded, 2, 10, WIDTH))
                .holds();
        assertThat(RollingBufferEquivalence.check(attention, KvCache::new, 3, seeded, 2, 10, WIDTH)).holds();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rolling-write-slot", "rolling-read-unrotated"})
    @DisplayName("the rolling-buffer probe fails when the buffer writes or reads the wrong slot after the wrap")
    void rollingBufferFails(String variant, NDManager manager) {
        ProbeResult result = new RollingBufferEquivalence().run(Variants.named(variant).orElseThrow().kit(), manager, 1);

        assertFailsNaming(result, "✗ rolling buffer: decoding through a rolling buffer of 3 slots, one token per step,"
                + " must give the full pass under a window of 3 at every position\n  Output decoded through a rolling"
                + " buffer, one token per step diverges from the full pass under a window of 3\n");
    }

    private static RotaryEmbedding rope() {
        return new RotaryEmbedding(4, 10_000, RopePairing.HALF_SPLIT);
    }
}
