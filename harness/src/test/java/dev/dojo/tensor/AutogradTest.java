package dev.dojo.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Tolerance;
import dev.dojo.junit.ScopedManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.dojo.assertions.DojoAssertions.assertThat;

@ExtendWith(ScopedManager.class)
class AutogradTest {
    private static final Tolerance FLOAT32 = Tolerance.of(1e-6, 1e-5);

    @Test
    @DisplayName("d/dx sum(x²) is 2x")
    void squareSum(NDManager manager) {
        NDArray x = Seeded.of(manager, 3).normal("x", 1, 2, 3);

        NDArray gradient = Autograd.gradients(List.of(x), in -> in.get(0).square().sum()).get(0);

        assertThat(gradient).named("d/dx sum(x²)").against("2x").isCloseTo(x.mul(2), FLOAT32);
    }

    @Test
    @DisplayName("a tensor output is summed: d/dx of x² is 2x")
    void tensorOutputIsSummed(NDManager manager) {
        NDArray x = Seeded.of(manager, 4).normal("x", 1, 4);

        NDArray gradient = Autograd.gradients(List.of(x), in -> in.get(0).square()).get(0);

        assertThat(gradient).named("d/dx x²").against("2x").isCloseTo(x.mul(2), FLOAT32);
    }

    @Test
    @DisplayName("each input gets its own gradient: d/dx and d/dy of sum(x·y) are y and x")
    void twoInputs(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 5);
        NDArray x = seeded.normal("x", 1, 3);
        NDArray y = seeded.normal("y", 1, 3);

        List<NDArray> gradients = Autograd.gradients(List.of(x, y), in -> in.get(0).mul(in.get(1)).sum());

        assertThat(gradients.get(0)).named("d/dx sum(x·y)").against("y").isCloseTo(y, FLOAT32);
        assertThat(gradients.get(1)).named("d/dy sum(x·y)").against("x").isCloseTo(x, FLOAT32);
    }

    @Test
    @DisplayName("the inputs are left as they were: no gradient attached, values unchanged")
    void inputsUntouched(NDManager manager) {
        NDArray x = Seeded.of(manager, 6).normal("x", 1, 3);
        NDArray before = x.duplicate();

        Autograd.gradients(List.of(x), in -> in.get(0).square().sum());

        org.assertj.core.api.Assertions.assertThat(x.hasGradient()).isFalse();
        assertThat(x).isCloseTo(before, FLOAT32);
    }

    @Test
    @DisplayName("two calls in a row give the same gradient: nothing accumulates between them")
    void noAccumulation(NDManager manager) {
        NDArray x = Seeded.of(manager, 7).normal("x", 1, 2, 3);

        NDArray first = Autograd.gradients(List.of(x), in -> in.get(0).square().sum()).get(0);
        NDArray second = Autograd.gradients(List.of(x), in -> in.get(0).square().sum()).get(0);

        assertThat(first).named("first gradient").isCloseTo(x.mul(2), FLOAT32);
        assertThat(second).named("second gradient").against("the first").isCloseTo(first, FLOAT32);
    }

    @Test
    @DisplayName("calls from two threads at once both succeed, each with its own gradient")
    void twoThreads(NDManager manager) throws Exception {
        CountDownLatch ready = new CountDownLatch(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Void>> results = pool.invokeAll(
                    List.of(gradientsOf(manager, 8, ready), gradientsOf(manager, 9, ready)), 2, TimeUnit.MINUTES);
            for (Future<Void> result : results) {
                result.get(); // rethrows what failed in that thread
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Once both threads are ready: d/dx sum(x³) = 3x², twenty times, for this thread's own seeded x. */
    private static Callable<Void> gradientsOf(NDManager manager, long seed, CountDownLatch ready) {
        return () -> {
            try (NDManager own = manager.newSubManager()) {
                NDArray x = Seeded.of(own, seed).normal("x", 1, 8, 8);
                NDArray expected = x.square().mul(3);
                ready.countDown();
                ready.await();
                for (int i = 0; i < 20; i++) {
                    NDArray gradient = Autograd.gradients(List.of(x), in -> in.get(0).pow(3).sum()).get(0);
                    assertThat(gradient).named("d/dx sum(x³), seed " + seed).against("3x²")
                            .isCloseTo(expected, FLOAT32);
                }
            }
            return null;
        };
    }
}
