package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.junit.ScopedManager;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.reference.TiledAttention;
import dev.dojo.tensor.Seeded;
import dev.dojo.variants.Variants;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.probes.ProbeFixtures.assertFailsNaming;

/**
 * The tiling probe holds on the reference tiled attention and fails when the online softmax forgets a
 * rescale.
 */
@ExtendWith(ScopedManager.class)
class TilingInvarianceTest {
    private static final int WIDTH = 16;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    @DisplayName("the reference tiled attention gives the same output at every tile size")
    void tilingHolds(long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        Attention a = Attention.random(seeded, "attention", WIDTH, 4, 2, rope());
        NDArray x = seeded.normal("x", 1, 2, 7, WIDTH);

        assertThat(TilingInvariance.check(tile -> new TiledAttention(a.wq(), a.wk(), a.wv(), a.wo(), 4, 2, a.rope(),
                tile), x, AttentionMask.causal(seeded.leftPadding(7, 7, 3)), seed)).holds();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"online-softmax-sum-unscaled", "online-softmax-accumulator-unscaled"})
    @DisplayName("the tiling probe fails when the online softmax forgets a rescale, at one key per tile")
    void tilingFails(String variant, NDManager manager) {
        ProbeResult result = new TilingInvariance().run(Variants.named(variant).orElseThrow().kit(), manager, 1);

        assertFailsNaming(result, "✗ tiling invisible: tiled attention must give the same output with 1 key per tile"
                + " as with one tile of all 6\n  Tiled attention output, 1 key per tile diverges from one tile of all 6"
                + " keys\n");
    }

    private static RotaryEmbedding rope() {
        return new RotaryEmbedding(4, 10_000, RopePairing.HALF_SPLIT);
    }
}
