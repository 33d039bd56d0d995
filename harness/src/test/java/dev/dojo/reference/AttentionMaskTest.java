package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dojo.compare.Tolerance;
import dev.dojo.junit.ScopedManager;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The mask's rules, beyond the goldens: the sliding window, positions that do not start at 0, and its argument errors. */
@ExtendWith(ScopedManager.class)
class AttentionMaskTest {
    private static final Tolerance EXACT = Tolerance.absolute(1e-6);

    @ParameterizedTest(name = "W = {0}")
    @ValueSource(ints = {1, 2, 3, 5})
    @DisplayName("a sliding window of W lets query i see keys i-W+1..i: all of them while i < W, then exactly W")
    void windowSeesExactlyW(int window, NDManager manager) {
        int tokens = 8;
        NDArray visible = visible(AttentionMask.slidingWindow(window).bias(manager, tokens, tokens, 0));  // (T, T)

        float[] expected = new float[tokens * tokens];
        for (int i = 0; i < tokens; i++) {
            for (int j = Math.max(0, i - window + 1); j <= i; j++) {
                expected[i * tokens + j] = 1;
            }
        }
        assertThat(visible).named("Keys each query sees").against("i-W+1..i").withAxes("query", "key")
                .isCloseTo(manager.create(expected, visible.getShape()), EXACT);
    }

    @Test
    @DisplayName("a window as long as the sequence is the causal mask")
    void longWindowIsCausal(NDManager manager) {
        assertThat(AttentionMask.slidingWindow(6).bias(manager, 6, 6, 0)).named("Bias of a window of 6")
                .against("the causal bias").isCloseTo(AttentionMask.causalOnly().bias(manager, 6, 6, 0), EXACT);
    }

    @Test
    @DisplayName("with keys that start after position 0 (a rolling buffer), the window counts from the query's position")
    void keysStartingLater(NDManager manager) {
        NDArray visible = visible(AttentionMask.slidingWindow(3).bias(manager, 2, 5, 5, 2));    // queries 5, 6; keys 2..6

        assertThat(visible).named("Keys queries 5 and 6 see among keys 2..6").against("keys 3..5 and 4..6")
                .withAxes("query", "key")
                .isCloseTo(manager.create(new float[] {0, 1, 1, 1, 0, 0, 0, 1, 1, 1}, visible.getShape()), EXACT);
    }

    @Test
    @DisplayName("a padding mask with more columns than keys masks the keys by its last columns")
    void paddingOfTheNewestKeys(NDManager manager) {
        NDArray padding = Seeded.of(manager, 1).rightPadding(5, 3);                            // [1, 1, 1, 0, 0]
        NDArray bias = new AttentionMask(false, padding).bias(manager, 1, 3, 4, 2);            // keys 2, 3, 4

        assertThat(visible(bias)).named("Keys 2..4 seen").against("key 2 only").withAxes("query", "key")
                .isCloseTo(manager.create(new float[] {1, 0, 0}, new ai.djl.ndarray.types.Shape(1, 3)), EXACT);
    }

    @Test
    @DisplayName("refuses a window without the causal mask, a negative window, and an empty one, naming the value")
    void windowArguments(NDManager manager) {
        assertThatIllegalArgumentException().isThrownBy(() -> new AttentionMask(false, null, 3))
                .withMessageContaining("sliding window (3) needs the causal mask");
        assertThatIllegalArgumentException().isThrownBy(() -> new AttentionMask(true, null, -1))
                .withMessageContaining("window (-1)");
        assertThatIllegalArgumentException().isThrownBy(() -> AttentionMask.slidingWindow(0))
                .withMessageContaining("at least one position, got 0");
    }

    @Test
    @DisplayName("refuses a padding mask with fewer columns than keys")
    void shortPadding(NDManager manager) {
        NDArray padding = Seeded.of(manager, 1).rightPadding(3, 3);

        assertThatIllegalArgumentException().isThrownBy(() -> AttentionMask.padding(padding).bias(manager, 4, 4, 0))
                .withMessageContaining("3 columns, fewer than the 4 keys");
    }

    /** 1 where the bias (1, 1, Tq, Tk) lets a query see a key, else 0: (Tq, Tk). */
    private static NDArray visible(NDArray bias) {
        long queries = bias.getShape().get(2);
        long keys = bias.getShape().get(3);
        return bias.eq(0).toType(DataType.FLOAT32, false).reshape(queries, keys);
    }
}
