package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.dojo.junit.ScopedManager;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.probes.ProbeFixtures.assertFailsNaming;

/**
 * The relative-position probe holds on the reference RoPE in both pairings, fails on RoPEs whose
 * scores depend on absolute position, and (its documented blind spot) passes a RoPE counted from 1.
 */
@ExtendWith(ScopedManager.class)
class RelativePositionTest {
    private static final String OPENING = "✗ relative position: shifting every position by 7 must leave every attention"
            + " score unchanged\n  Scores with positions shifted by 7 diverges from the scores unshifted\n";

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("dev.dojo.probes.ProbeFixtures#pairingsAndSeeds")
    @DisplayName("holds on the reference RoPE")
    void holdsOnReference(RopePairing pairing, long seed, NDManager manager) {
        RotaryEmbedding rope = new RotaryEmbedding(8, 10_000, pairing);

        assertThat(RelativePosition.check(rope::apply, Seeded.of(manager, seed), 2, 2, 6, 8, 7)).holds();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RopePairing.class)
    @DisplayName("fails on a RoPE that also scales each position by its index, naming probe and property")
    void failsOnPositionDependentScaling(RopePairing pairing, NDManager manager) {
        RotaryEmbedding rope = new RotaryEmbedding(8, 10_000, pairing);

        ProbeResult result = RelativePosition.check((x, offset) -> rope.apply(x, offset).mul(gain(x, offset)),
                Seeded.of(manager, 7), 2, 2, 6, 8, 7);

        assertFailsNaming(result, OPENING);
    }

    @Test
    @DisplayName("fails on a half-split RoPE whose rotate_half negates without swapping the halves")
    void failsOnRotateHalfWithoutSwap(NDManager manager) {
        RotaryEmbedding rope = new RotaryEmbedding(8, 10_000, RopePairing.HALF_SPLIT) {
            /** [-x₁, x₂]: the halves are negated in place, not swapped, so it is no rotation. */
            @Override
            protected NDArray rotateHalf(NDArray x) {                                   // x: (B, H, T, D)
                long half = x.getShape().get(3) / 2;
                NDArray first = x.get(new NDIndex("..., :{}", half));                 // (B, H, T, D/2)
                NDArray second = x.get(new NDIndex("..., {}:", half));                // (B, H, T, D/2)
                return first.neg().concat(second, -1);                                // (B, H, T, D)
            }
        };

        ProbeResult result = RelativePosition.check(rope::apply, Seeded.of(manager, 7), 2, 2, 6, 8, 7);

        assertFailsNaming(result, OPENING);
    }

    @Test
    @DisplayName("passes a RoPE counted from 1, which keeps every relative position: position zero is the probe that sees it")
    void blindToAConstantShift(NDManager manager) {
        RotaryEmbedding rope = new RotaryEmbedding(8, 10_000, RopePairing.HALF_SPLIT);
        Seeded seeded = Seeded.of(manager, 7);

        assertThat(RelativePosition.check((x, offset) -> rope.apply(x, offset + 1), seeded, 2, 2, 6, 8, 7)).holds();
        org.assertj.core.api.Assertions.assertThat(
                PositionZero.check((x, offset) -> rope.apply(x, offset + 1), seeded, 2, 2, 8).holds()).isFalse();
    }

    /** 1 + p / 10 for each position p of x: (T, 1). */
    private static NDArray gain(NDArray x, long offset) {
        long tokens = x.getShape().get(2);
        return x.getManager().arange(offset, offset + tokens).toType(DataType.FLOAT32, false)
                .div(10f).add(1f).reshape(tokens, 1);
    }
}
