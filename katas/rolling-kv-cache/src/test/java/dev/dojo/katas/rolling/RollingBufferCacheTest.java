package dev.dojo.katas.rolling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.probes.RollingBufferEquivalence;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.RollingKvCache;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static dev.dojo.katas.rolling.RollingBufferCacheGolden.BATCH;
import static dev.dojo.katas.rolling.RollingBufferCacheGolden.MODEL;
import static dev.dojo.katas.rolling.RollingBufferCacheGolden.SEED;
import static dev.dojo.katas.rolling.RollingBufferCacheGolden.TOKENS;
import static dev.dojo.katas.rolling.RollingBufferCacheGolden.TOLERANCE;
import static dev.dojo.katas.rolling.RollingBufferCacheGolden.WIDTH;
import static dev.dojo.katas.rolling.RollingBufferCacheGolden.attention;
import static dev.dojo.katas.rolling.RollingBufferCacheGolden.decode;
import static dev.dojo.katas.rolling.RollingBufferCacheGolden.pyTorch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Contract:
// - decoding through the buffer with a Mistral-style attention (C 32, 4 query heads, 2 KV heads, rotate_half
//   RoPE) gives PyTorch's one pass under the same sliding window: on a seeded window and prompt, on PyTorch's
//   stored examples for windows of 3, 1 and 10 (as long as the sequence), after prompts of 1, 2, W - 1, W
//   and W + 1 tokens, in chunks of 2, W and W + 1 tokens per step, and 40 tokens one per step (13 wraps)
// - before the buffer wraps it agrees with PyTorch as well
// - at every step it hands out the keys and values Mistral's rolling buffer (the reference) hands out:
//   the cached positions oldest first, then the new tokens
// - decoding through it, one token or W + 1 per step, equals the attention's own full pass under the window,
//   also for other head counts and head sizes, and on every real token of a left-padded batch
// - its length counts every token cached, past W; the first step hands out its own keys and values; each
//   step hands out min(length, W) cached positions followed by the new tokens
// - float16 keys and values are kept as float16
// - a buffer of no slot is rejected
@ExtendWith(ScopedManager.class)
class RollingBufferCacheTest {

    @Test
    @DisplayName("decodes as Mistral-style attention in PyTorch computes one pass, on a seeded window and prompt")
    void decodesAsPyTorch(NDManager manager) {
        new RollingBufferCacheGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("decodes PyTorch's stored example one token per step under a window of 3")
    void decodesPyTorchsStoredExample(NDManager manager) {
        assertDecodesStoredExample(manager, 3, "out");
    }

    @Test
    @DisplayName("decodes PyTorch's stored example one token per step under a window of 1")
    void decodesPyTorchsStoredExampleWithAWindowOfOne(NDManager manager) {
        assertDecodesStoredExample(manager, 1, "out_window1");
    }

    @Test
    @DisplayName("decodes PyTorch's stored example one token per step under a window as long as the sequence")
    void decodesPyTorchsStoredExampleWithAWindowAsLongAsTheSequence(NDManager manager) {
        assertDecodesStoredExample(manager, 10, "out_window10");
    }

    @ParameterizedTest(name = "{displayName}: prompt of {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    @DisplayName("decodes as PyTorch after a prompt of 1, 2, W - 1, W or W + 1 tokens, W = 4")
    void prefillsPromptsOfAnyLength(int prompt, NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);      // (B, T, C)

        NDArray decoded = decode(attention(manager), new RollingBufferCache(4), x, 4, prompt, 1);

        assertThat(decoded).named("Prompt of " + prompt + ", then one token per step, 4 slots")
                .against("Mistral-style attention in PyTorch, window 4").withSeed(SEED)
                .withAxes("batch", "pos", "dim").isCloseTo(pyTorch(manager, x, 4), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: {0} tokens per step")
    @ValueSource(ints = {2, 3, 4})
    @DisplayName("decodes as PyTorch in chunks of 2, W and W + 1 tokens per step, W = 3")
    void decodesInChunksOfAnySize(int chunk, NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, TOKENS, WIDTH);      // (B, T, C)

        NDArray decoded = decode(attention(manager), new RollingBufferCache(3), x, 3, chunk, chunk);

        assertThat(decoded).named(chunk + " tokens per step, 3 slots")
                .against("Mistral-style attention in PyTorch, window 3").withSeed(SEED)
                .withAxes("batch", "pos", "dim").isCloseTo(pyTorch(manager, x, 3), TOLERANCE);
    }

    @Test
    @DisplayName("decodes 40 tokens one per step through 3 slots, 13 wraps, as PyTorch")
    void decodesFarPastManyWraps(NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, 40, WIDTH);          // (B, T, C)

        NDArray decoded = decode(attention(manager), new RollingBufferCache(3), x, 3, 1, 1);

        assertThat(decoded).named("40 tokens, one per step, 3 slots")
                .against("Mistral-style attention in PyTorch, window 3").withSeed(SEED)
                .withAxes("batch", "pos", "dim").isCloseTo(pyTorch(manager, x, 3), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: {0} slots, {1} tokens")
    @CsvSource({"5, 6", "3, 4", "6, 3"})
    @DisplayName("decodes as PyTorch while the buffer has not wrapped")
    void decodesAsPyTorchBeforeTheBufferWraps(int window, long tokens, NDManager manager) {
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, BATCH, tokens, WIDTH);      // (B, T, C)

        NDArray decoded = decode(attention(manager), new RollingBufferCache(window), x, window, 1, 1);

        assertThat(decoded).named(tokens + " tokens, one per step, " + window + " slots")
                .against("Mistral-style attention in PyTorch, window " + window).withSeed(SEED)
                .withAxes("batch", "pos", "dim").isCloseTo(pyTorch(manager, x, window), TOLERANCE);
    }

    @Test
    @DisplayName("hands out the keys and values Mistral's rolling buffer hands out, at every step")
    void handsOutWhatTheReferenceBufferHandsOut(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray k = seeded.normal("k", 1, 2, 3, 15, 4);                                 // (B, H_kv, T, D)
        NDArray v = seeded.normal("v", 1, 2, 3, 15, 4);                                 // (B, H_kv, T, D)
        RollingBufferCache cache = new RollingBufferCache(3);
        RollingKvCache reference = new RollingKvCache(3);
        long[] chunks = {2, 1, 1, 3, 1, 4, 1, 1, 1};

        long t = 0;
        for (long chunk : chunks) {
            NDIndex step = new NDIndex(":, :, {}:{}", t, t + chunk);
            NDArray[] out = cache.append(k.get(step), v.get(step));
            NDArray[] expected = reference.append(k.get(step), v.get(step));
            t += chunk;
            assertThat(out[0].concat(out[1], -1)).named("Keys and values handed out after " + t + " tokens")
                    .against("the reference rolling buffer's").withSeed(SEED).withAxes("batch", "head", "pos", "dim")
                    .isCloseTo(expected[0].concat(expected[1], -1), TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{displayName}: {0} slots")
    @ValueSource(ints = {2, 3, 5})
    @DisplayName("decoding through it, one token or W + 1 per step, equals the attention's full pass under the window")
    void decodesAsTheFullPassUnderTheWindow(int window, NDManager manager) {
        assertThat(RollingBufferEquivalence.check(attention(manager), () -> new RollingBufferCache(window), window,
                Seeded.of(manager, SEED), BATCH, TOKENS, WIDTH)).holds();
    }

    @ParameterizedTest(name = "{displayName}: width {0}, heads {1}, KV heads {2}")
    @CsvSource({"32, 8, 2", "24, 6, 1", "32, 2, 2"})
    @DisplayName("decodes as the reference's full pass under a window of 3 for other head counts and head sizes")
    void decodesOtherHeadCountsAsTheFullPass(int width, int heads, int kvHeads, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        RotaryEmbedding rope = new RotaryEmbedding(width / heads, 10_000, RopePairing.HALF_SPLIT);
        Attention attention = Attention.random(seeded, "attention", width, heads, kvHeads, rope);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, width);                           // (B, T, C)

        NDArray decoded = decode(attention, new RollingBufferCache(3), x, 3, 2, 1);

        assertThat(decoded).named("Prompt of 2, then one token per step, 3 slots, " + heads + " heads, " + kvHeads
                + " KV heads").against("the reference's full pass, window 3").withSeed(SEED)
                .withAxes("batch", "pos", "dim").isCloseTo(attention.forward(x, AttentionMask.slidingWindow(3)), TOLERANCE);
    }

    @Test
    @DisplayName("decodes a left-padded batch one token per step as the reference's full pass, on every real token")
    void decodesALeftPaddedBatch(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray x = seeded.normal("x", 1, 3, TOKENS, WIDTH);                            // (B, T, C)
        NDArray padding = seeded.leftPadding(TOKENS, TOKENS, 9, 4);                     // (B, T)
        Attention attention = attention(manager);
        RollingBufferCache cache = new RollingBufferCache(3);
        NDArray decoded = null;

        for (long t = 0; t < TOKENS; t++) {
            AttentionMask seen = AttentionMask.slidingWindow(3, padding.get(new NDIndex(":, :{}", t + 1)));
            NDArray step = attention.forward(x.get(new NDIndex(":, {}:{}", t, t + 1)), seen, cache);   // (B, 1, C)
            decoded = decoded == null ? step : decoded.concat(step, 1);
        }

        NDArray real = padding.expandDims(-1);                                          // (B, T, 1): 1 = token
        NDArray full = attention.forward(x, AttentionMask.slidingWindow(3, padding));
        assertThat(decoded.mul(real)).named("Left-padded batch, one token per step, 3 slots, real tokens")
                .against("the reference's full pass, window 3").withSeed(SEED).withAxes("batch", "pos", "dim")
                .isCloseTo(full.mul(real), TOLERANCE);
    }

    @Test
    @DisplayName("counts every token cached, also past W")
    void countsEveryTokenCached(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        RollingBufferCache cache = new RollingBufferCache(3);

        cache.append(seeded.normal("k", 1, 2, 2, 5, 4), seeded.normal("v", 1, 2, 2, 5, 4));
        cache.append(seeded.normal("k2", 1, 2, 2, 1, 4), seeded.normal("v2", 1, 2, 2, 1, 4));

        assertThat(cache.length()).isEqualTo(6);
    }

    @Test
    @DisplayName("hands out its own keys and values on the first step")
    void handsOutItsInputsOnTheFirstStep(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        NDArray k = seeded.normal("k", 1, 2, 2, 5, 4);                                  // (B, H_kv, T, D)
        NDArray v = seeded.normal("v", 1, 2, 2, 5, 4);                                  // (B, H_kv, T, D)

        NDArray[] out = new RollingBufferCache(3).append(k, v);

        assertThat(out[0].concat(out[1], -1)).named("Keys and values handed out on the first step")
                .against("the keys and values given").withAxes("batch", "head", "pos", "dim")
                .isCloseTo(k.concat(v, -1), TOLERANCE);
    }

    @ParameterizedTest(name = "{displayName}: {0} tokens cached, {1} new")
    @CsvSource({"2, 1", "3, 2", "7, 1", "8, 5"})
    @DisplayName("hands out min(length, W) cached positions, then the new tokens")
    void handsOutTheWindowThenTheNewTokens(long cached, long fresh, NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        RollingBufferCache cache = new RollingBufferCache(3);
        cache.append(seeded.normal("k", 1, 2, 2, cached, 4), seeded.normal("v", 1, 2, 2, cached, 4));
        NDArray k = seeded.normal("k2", 1, 2, 2, fresh, 4);                             // (B, H_kv, T, D)
        NDArray v = seeded.normal("v2", 1, 2, 2, fresh, 4);                             // (B, H_kv, T, D)

        NDArray[] out = cache.append(k, v);

        long seen = Math.min(cached, 3);
        assertThat(out[0].getShape()).isEqualTo(new Shape(2, 2, seen + fresh, 4));
        NDIndex newest = new NDIndex(":, :, {}:", seen);
        assertThat(out[0].get(newest).concat(out[1].get(newest), -1)).named("The last " + fresh + " keys and values")
                .against("the new tokens' keys and values").withAxes("batch", "head", "pos", "dim")
                .isCloseTo(k.concat(v, -1), TOLERANCE);
    }

    @Test
    @DisplayName("keeps float16 keys and values as float16")
    void keepsFloat16(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        RollingBufferCache cache = new RollingBufferCache(3);
        cache.append(seeded.normal("k", 1, 2, 2, 4, 4).toType(DataType.FLOAT16, false),
                seeded.normal("v", 1, 2, 2, 4, 4).toType(DataType.FLOAT16, false));

        NDArray[] out = cache.append(seeded.normal("k2", 1, 2, 2, 1, 4).toType(DataType.FLOAT16, false),
                seeded.normal("v2", 1, 2, 2, 1, 4).toType(DataType.FLOAT16, false));

        assertThat(out[0].getDataType()).isEqualTo(DataType.FLOAT16);
        assertThat(out[1].getDataType()).isEqualTo(DataType.FLOAT16);
    }

    @Test
    @DisplayName("rejects a buffer of no slot, naming the size")
    void rejectsABufferOfNoSlot() {
        assertThatThrownBy(() -> new RollingBufferCache(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }

    private static void assertDecodesStoredExample(NDManager manager, int window, String key) {
        GoldenModel golden = GoldenModel.named(MODEL);

        NDArray decoded = decode(attention(manager), new RollingBufferCache(window), golden.example(manager, "x"),
                window, 1, 1);

        assertThat(decoded).named("Stored example, one token per step, " + window + " slots")
                .against("PyTorch's stored output").withAxes("batch", "pos", "dim")
                .isCloseTo(golden.example(manager, key), TOLERANCE);
    }
}
