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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tiled attention with an online softmax against plain attention with the same weights, at every
 * tile size from one key to more than the sequence, under each mask layout and with a KV cache.
 * GQA with RoPE, C = 16, H = 4, H_kv = 2, T = 7.
 */
@ExtendWith(ScopedManager.class)
class TiledAttentionTest {
    private static final Tolerance FLOAT32 = Tolerance.absolute(1e-5);
    private static final int WIDTH = 16;
    private static final int TOKENS = 7;

    static Stream<Arguments> tilesAndSeeds() {
        return Stream.of(1, 2, 3, 7, 9).flatMap(tile -> LongStream.rangeClosed(1, 3).mapToObj(s -> Arguments.of(tile, s)));
    }

    @ParameterizedTest(name = "{0} keys per tile, seed {1}")
    @MethodSource("tilesAndSeeds")
    @DisplayName("equals plain attention with no mask, causal, causal with right or left padding, and a sliding window")
    void equalsPlainAttention(int tile, long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        Attention plain = Attention.random(seeded, "attention", WIDTH, 4, 2,
                new RotaryEmbedding(4, 10_000, RopePairing.HALF_SPLIT));
        TiledAttention tiled = tiled(plain, tile);
        NDArray x = seeded.normal("x", 1, 2, TOKENS, WIDTH);

        for (AttentionMask mask : new AttentionMask[] {AttentionMask.none(), AttentionMask.causalOnly(),
                AttentionMask.causal(seeded.rightPadding(TOKENS, TOKENS, 4)),
                AttentionMask.causal(seeded.leftPadding(TOKENS, TOKENS, 4)), AttentionMask.slidingWindow(3)}) {
            assertThat(tiled.forward(x, mask)).named("Tiled attention, " + tile + " keys per tile, mask " + describe(mask))
                    .against("plain attention").withSeed(seed).withAxes("batch", "pos", "dim")
                    .isCloseTo(plain.forward(x, mask), FLOAT32);
        }
    }

    @Test
    @DisplayName("decoding token by token with a KV cache equals its full causal pass")
    void withACache(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 4);
        TiledAttention tiled = tiled(Attention.random(seeded, "attention", WIDTH, 4, 2,
                new RotaryEmbedding(4, 10_000, RopePairing.HALF_SPLIT)), 2);
        NDArray x = seeded.normal("x", 1, 2, TOKENS, WIDTH);
        NDArray full = tiled.forward(x, AttentionMask.causalOnly());
        KvCache cache = new KvCache();

        for (long t = 0; t < TOKENS; t++) {
            NDIndex token = new NDIndex(":, {}:{}", t, t + 1);
            assertThat(tiled.forward(x.get(token), AttentionMask.causalOnly(), cache)).named("Decoding step " + t)
                    .against("the full causal pass").withSeed(4).isCloseTo(full.get(token), FLOAT32);
        }
    }

    @Test
    @DisplayName("refuses a tile of no keys")
    void emptyTile(NDManager manager) {
        Attention plain = Attention.random(Seeded.of(manager, 1), "attention", WIDTH, 4, 2, null);

        assertThatIllegalArgumentException().isThrownBy(() -> tiled(plain, 0))
                .withMessage("a tile must hold at least one key, got 0");
    }

    private static TiledAttention tiled(Attention a, int tile) {
        return new TiledAttention(a.wq(), a.wk(), a.wv(), a.wo(), a.heads(), a.kvHeads(), a.rope(), tile);
    }

    private static String describe(AttentionMask mask) {
        return (mask.causal() ? "causal" : "none") + (mask.padding() == null ? "" : " + padding")
                + (mask.window() == 0 ? "" : " + window " + mask.window());
    }
}
