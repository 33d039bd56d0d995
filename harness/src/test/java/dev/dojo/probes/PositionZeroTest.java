package dev.dojo.probes;

import ai.djl.ndarray.NDManager;
import dev.dojo.junit.ScopedManager;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.probes.ProbeFixtures.assertFailsNaming;

/** The position-zero probe holds on the reference RoPE in both pairings and fails on a RoPE counted from 1. */
@ExtendWith(ScopedManager.class)
class PositionZeroTest {

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("dev.dojo.probes.ProbeFixtures#pairingsAndSeeds")
    @DisplayName("holds on the reference RoPE")
    void holdsOnReference(RopePairing pairing, long seed, NDManager manager) {
        RotaryEmbedding rope = new RotaryEmbedding(8, 10_000, pairing);

        assertThat(PositionZero.check(rope::apply, Seeded.of(manager, seed), 2, 3, 8)).holds();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RopePairing.class)
    @DisplayName("fails on a RoPE that counts positions from 1, naming probe and property")
    void failsWhenCountingFromOne(RopePairing pairing, NDManager manager) {
        RotaryEmbedding rope = new RotaryEmbedding(8, 10_000, pairing);

        ProbeResult result = PositionZero.check((x, offset) -> rope.apply(x, offset + 1), Seeded.of(manager, 7), 2, 3, 8);

        assertFailsNaming(result, "✗ position zero: RoPE at position 0 must leave its input unchanged\n"
                + "  RoPE output at position 0 diverges from its input\n");
    }
}
