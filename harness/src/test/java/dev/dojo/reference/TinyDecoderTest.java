package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.junit.ScopedManager;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;

/** The tiny Llama-shaped decoder: logits of the right shape, and causal. V vocabulary, T tokens. */
@ExtendWith(ScopedManager.class)
class TinyDecoderTest {
    private static final int VOCABULARY = 20;
    private static final int TOKENS = 7;
    private static final int CHANGED = 3;
    private static final Tolerance FLOAT32 = Tolerance.absolute(1e-6);

    @Test
    @DisplayName("maps (B, T) token ids to finite float32 logits (B, T, V)")
    void logitsShape(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 7);
        TinyDecoder model = llama(seeded);
        NDArray tokens = seeded.integers("tokens", VOCABULARY, 2, TOKENS);

        NDArray logits = model.forward(tokens, AttentionMask.causalOnly());

        org.assertj.core.api.Assertions.assertThat(logits.getShape()).isEqualTo(new Shape(2, TOKENS, VOCABULARY));
        org.assertj.core.api.Assertions.assertThat(logits.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(logits).named("Logits").isFinite();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    @DisplayName("is causal: changing token t never changes the logits before t, and does change them from t on")
    void causal(long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        TinyDecoder model = llama(seeded);
        NDArray tokens = seeded.integers("tokens", VOCABULARY, 2, TOKENS);

        NDArray before = model.forward(tokens, AttentionMask.causalOnly());
        NDArray after = model.forward(changeToken(tokens, CHANGED), AttentionMask.causalOnly());

        assertThat(after.get(":, :{}", CHANGED)).named("Logits before the changed token")
                .against("the same logits with the token unchanged").withAxes("batch", "pos", "vocab").withSeed(seed)
                .isCloseTo(before.get(":, :{}", CHANGED), FLOAT32);
        org.assertj.core.api.Assertions.assertThat(
                Comparison.of(after.get(":, {}:", CHANGED), before.get(":, {}:", CHANGED), FLOAT32).passes())
                .as("logits from the changed token on").isFalse();
    }

    @Test
    @DisplayName("without the causal mask, changing token t does change the logits before t: the check can fail")
    void notCausalWithoutMask(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 7);
        TinyDecoder model = llama(seeded);
        NDArray tokens = seeded.integers("tokens", VOCABULARY, 2, TOKENS);

        NDArray before = model.forward(tokens, AttentionMask.none());
        NDArray after = model.forward(changeToken(tokens, CHANGED), AttentionMask.none());

        org.assertj.core.api.Assertions.assertThat(
                Comparison.of(after.get(":, :{}", CHANGED), before.get(":, :{}", CHANGED), FLOAT32).passes()).isFalse();
    }

    private static TinyDecoder llama(Seeded seeded) {
        ModelConfig config = new ModelConfig(VOCABULARY, 16, 4, 2, 32, 2, TransformerBlock.Placement.PRE_NORM,
                ModelConfig.NormKind.RMS_NORM, true, ModelConfig.FeedForwardKind.SWIGLU);
        return Kit.reference(config).decoder(config.randomParameters(seeded), config);
    }

    /** The same ids with every item's token at {@code position} replaced by the next id. */
    private static NDArray changeToken(NDArray tokens, int position) {
        long[] ids = tokens.toLongArray();
        long length = tokens.getShape().get(1);
        for (int b = 0; b < tokens.getShape().get(0); b++) {
            int at = Math.toIntExact(b * length + position);
            ids[at] = (ids[at] + 1) % VOCABULARY;
        }
        return tokens.getManager().create(ids, tokens.getShape());
    }
}
