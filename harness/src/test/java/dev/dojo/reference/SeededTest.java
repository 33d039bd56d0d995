package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dojo.junit.ScopedManager;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The seeded tensor factory the reference parts draw from ({@link Seeded} lives in dev.dojo.tensor):
 * (seed, name) fixes the values, and padding masks are validated.
 */
@ExtendWith(ScopedManager.class)
class SeededTest {

    @Test
    @DisplayName("the same seed and name give the same values, in another factory and another manager")
    void reproducible(NDManager manager) {
        float[] first = Seeded.of(manager, 42).normal("x", 1, 3, 4).toFloatArray();

        try (NDManager other = manager.newSubManager()) {
            assertThat(Seeded.of(other, 42).normal("x", 1, 3, 4).toFloatArray()).containsExactly(first);
        }
    }

    @Test
    @DisplayName("different names, or different seeds, give different values")
    void namesAndSeedsSeparate(NDManager manager) {
        float[] x = Seeded.of(manager, 42).normal("x", 1, 3, 4).toFloatArray();
        float[] y = Seeded.of(manager, 42).normal("y", 1, 3, 4).toFloatArray();
        float[] otherSeed = Seeded.of(manager, 43).normal("x", 1, 3, 4).toFloatArray();

        assertThat(y).isNotEqualTo(x);
        assertThat(otherSeed).isNotEqualTo(x);
        assertThat(shared(x, y)).as("values shared by streams x and y").isZero();
    }

    @Test
    @DisplayName("drawing another tensor first changes nothing, and a larger shape extends a smaller one")
    void streamsIndependent(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 42);
        float[] alone = Seeded.of(manager, 42).normal("x", 1, 2, 3).toFloatArray();

        seeded.normal("y", 1, 5);
        float[] afterAnother = seeded.normal("x", 1, 2, 3).toFloatArray();
        float[] larger = seeded.normal("x", 1, 3, 4).toFloatArray();

        assertThat(afterAnother).containsExactly(alone);
        assertThat(Arrays.copyOf(larger, 6)).containsExactly(alone);
    }

    @Test
    @DisplayName("normal scales by std, uniform stays in [low, high), integers in [0, bound) as int64")
    void distributions(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 42);

        float[] unit = seeded.normal("x", 1, 1000).toFloatArray();
        float[] scaled = seeded.normal("x", 0.5, 1000).toFloatArray();
        float[] uniform = seeded.uniform("u", -2, 3, 1000).toFloatArray();
        NDArray integers = seeded.integers("i", 5, 1000);

        assertThat(scaled[7]).isEqualTo(unit[7] * 0.5f);
        assertThat(min(uniform)).isGreaterThanOrEqualTo(-2).isLessThan(-1.9);
        assertThat(max(uniform)).isLessThan(3).isGreaterThan(2.9);
        assertThat(integers.getDataType()).isEqualTo(DataType.INT64);
        assertThat(Arrays.stream(integers.toLongArray()).distinct().sorted().toArray()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    @DisplayName("rightPadding keeps each item's leading tokens: 1 for tokens, 0 for pads")
    void rightPadding(NDManager manager) {
        NDArray padding = Seeded.of(manager, 42).rightPadding(4, 4, 2, 1);

        assertThat(padding.getShape().getShape()).containsExactly(3, 4);
        assertThat(padding.toFloatArray()).containsExactly(1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0);
    }

    @Test
    @DisplayName("rightPadding rejects a length of 0 or above the token count, naming the item")
    void rightPaddingValidation(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 42);

        assertThatIllegalArgumentException().isThrownBy(() -> seeded.rightPadding(4, 4, 0))
                .withMessage("length of item 1 (0) must be between 1 and the number of tokens (4)");
        assertThatIllegalArgumentException().isThrownBy(() -> seeded.rightPadding(4, 5))
                .withMessage("length of item 0 (5) must be between 1 and the number of tokens (4)");
    }

    private static double min(float[] values) {
        return Arrays.stream(toDoubles(values)).min().orElseThrow();
    }

    private static double max(float[] values) {
        return Arrays.stream(toDoubles(values)).max().orElseThrow();
    }

    private static long shared(float[] a, float[] b) {
        return Arrays.stream(toDoubles(a)).filter(v -> Arrays.stream(toDoubles(b)).anyMatch(w -> w == v)).count();
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
