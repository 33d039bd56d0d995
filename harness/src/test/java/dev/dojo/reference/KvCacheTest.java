package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.compare.Comparison;
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

/** KV-cache equivalence on GQA attention with RoPE: decoding step by step equals the full causal pass. */
@ExtendWith(ScopedManager.class)
class KvCacheTest {
    private static final Tolerance FLOAT32 = Tolerance.absolute(1e-5);
    private static final int WIDTH = 16;
    private static final int TOKENS = 6;

    static Stream<Arguments> pairingsAndSeeds() {
        return Stream.of(RopePairing.values())
                .flatMap(pairing -> LongStream.rangeClosed(1, 3).mapToObj(seed -> Arguments.of(pairing, seed)));
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("pairingsAndSeeds")
    @DisplayName("decoding token by token with a KV cache equals the full causal pass at every step")
    void tokenByToken(RopePairing pairing, long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        Attention attention = Attention.random(seeded, "attention", WIDTH, 4, 2, new RotaryEmbedding(4, 10_000, pairing));
        NDArray x = seeded.normal("x", 1, 2, TOKENS, WIDTH);
        NDArray full = attention.forward(x, AttentionMask.causalOnly());
        KvCache cache = new KvCache();

        for (int t = 0; t < TOKENS; t++) {
            NDIndex token = new NDIndex(":, {}:{}", t, t + 1);
            NDArray step = attention.forward(x.get(token), AttentionMask.causalOnly(), cache);

            org.assertj.core.api.Assertions.assertThat(cache.length()).isEqualTo(t + 1);
            assertThat(step).named("Decoding step " + t).against("the full causal pass").withSeed(seed)
                    .withAxes("batch", "pos", "dim").isCloseTo(full.get(token), FLOAT32);
        }
    }

    @Test
    @DisplayName("a prompt prefilled in one chunk, then decoded token by token, equals the full causal pass")
    void prefillThenDecode(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 7);
        Attention attention = Attention.random(seeded, "attention", WIDTH, 4, 2,
                new RotaryEmbedding(4, 10_000, RopePairing.HALF_SPLIT));
        NDArray x = seeded.normal("x", 1, 2, TOKENS, WIDTH);
        NDArray full = attention.forward(x, AttentionMask.causalOnly());
        KvCache cache = new KvCache();

        NDArray prompt = attention.forward(x.get(":, :4"), AttentionMask.causalOnly(), cache);
        NDArray next = attention.forward(x.get(":, 4:5"), AttentionMask.causalOnly(), cache);
        NDArray last = attention.forward(x.get(":, 5:6"), AttentionMask.causalOnly(), cache);

        assertThat(prompt.concat(next, 1).concat(last, 1)).named("Prefill and decode").against("the full causal pass")
                .withSeed(7).withAxes("batch", "pos", "dim").isCloseTo(full, FLOAT32);
    }

    @Test
    @DisplayName("decoding each token without the cache does not equal the full pass: the comparison can fail")
    void withoutCacheDiffers(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 7);
        Attention attention = Attention.random(seeded, "attention", WIDTH, 4, 2,
                new RotaryEmbedding(4, 10_000, RopePairing.HALF_SPLIT));
        NDArray x = seeded.normal("x", 1, 2, TOKENS, WIDTH);
        NDArray full = attention.forward(x, AttentionMask.causalOnly());

        for (int t = 1; t < TOKENS; t++) {
            NDIndex token = new NDIndex(":, {}:{}", t, t + 1);
            NDArray alone = attention.forward(x.get(token), AttentionMask.causalOnly(), new KvCache());

            org.assertj.core.api.Assertions.assertThat(Comparison.of(alone, full.get(token), FLOAT32).passes())
                    .as("token %d decoded without its context", t).isFalse();
        }
    }
}
