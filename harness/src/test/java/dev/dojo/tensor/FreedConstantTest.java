package dev.dojo.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.junit.ScopedManager;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.GeluFeedForward;
import dev.dojo.reference.SelfAttention;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.dojo.assertions.DojoAssertions.assertThat;

// Contract: the gradients of the reference parts whose ops take constants (attention's 1/√D, GELU's
// 1/√2 and 1/2) do not depend on what the garbage collector frees between forward and backward, the
// trap the Autograd class describes: before backward runs, every freed Java buffer is collected and
// its memory handed out again, filled with NaN.
@ExtendWith(ScopedManager.class)
class FreedConstantTest {
    private static final dev.dojo.compare.Tolerance EXACT = dev.dojo.compare.Tolerance.absolute(1e-9);

    @Test
    @DisplayName("attention's gradient is the same when freed memory is reused before backward")
    void attention(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 7);
        ModelConfig c = ModelConfig.tinyLlama();
        SelfAttention attention = Kit.reference(c).attention(c.layerParameters(seeded, "").under("self_attn"), c);
        NDArray x = seeded.normal("x", 1, 2, 5, c.width());

        NDArray calm = gradient(x, in -> attention.forward(in, AttentionMask.causalOnly()), false);
        NDArray stressed = gradient(x, in -> attention.forward(in, AttentionMask.causalOnly()), true);

        assertThat(stressed).named("gradient with freed memory reused").against("the same gradient without")
                .isCloseTo(calm, EXACT);
    }

    @Test
    @DisplayName("GELU's gradient is the same when freed memory is reused before backward")
    void gelu(NDManager manager) {
        NDArray x = Seeded.of(manager, 7).normal("x", 1, 3, 8);

        NDArray calm = gradient(x, GeluFeedForward::gelu, false);
        NDArray stressed = gradient(x, GeluFeedForward::gelu, true);

        assertThat(stressed).named("gradient with freed memory reused").against("the same gradient without")
                .isCloseTo(calm, EXACT);
    }

    private static NDArray gradient(NDArray x, Function<NDArray, NDArray> f, boolean reuseFreedMemory) {
        return Autograd.gradients(List.of(x), in -> {
            NDArray y = f.apply(in.get(0));
            if (reuseFreedMemory) {
                reuseFreedMemory();
            }
            return y;
        }).get(0);
    }

    /** Collects unreachable direct buffers, then takes small native blocks again, filled with NaN. */
    private static void reuseFreedMemory() {
        List<ByteBuffer> taken = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(20);                           // the cleaner thread frees the buffers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 2000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
                b.putDouble(0, Double.NaN);
                taken.add(b);
            }
        }
    }
}
