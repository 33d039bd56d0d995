package dev.dojo.tensor;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Gradients without DJL's two traps: only one {@link GradientCollector} may be open at a time
 * (callers are serialized here), and gradients accumulate across collectors (each call works on
 * fresh copies of its inputs, so every gradient starts from zero).
 * <p>
 * A third trap no helper can hide: on the PyTorch engine, an op with a Java number
 * ({@code x.div(2.0)}, {@code x.mul(0.5f)}) wraps the number in a tensor over a Java buffer and closes
 * it as soon as the op returns. Backward still reads that tensor when the op's gradient needs it
 * (div, mul, pow), and once the garbage collector has freed the buffer it reads freed memory: now and
 * then a gradient comes out all NaN. Code that gradients flow through must pass such constants as
 * tensors made in the input's manager ({@code x.getManager().create(2.0)}), which live as long as it.
 * A learner's code cannot be expected to know this, so a call whose gradient comes out with a NaN or
 * an infinity is made again (up to {@value #ATTEMPTS} times in all): a freed constant is read
 * differently each time, while a gradient that is really not finite stays so.
 */
public final class Autograd {
    private static final Object ONE_COLLECTOR = new Object();
    /** How many times a call whose gradient is not finite is computed before that gradient is returned. */
    static final int ATTEMPTS = 3;

    private Autograd() {}

    /**
     * d(scalar)/d(input) for each input: {@code function} gets fresh copies of {@code inputs} that
     * require gradients and returns a scalar (or a tensor, which is summed). Returns one gradient per input.
     */
    public static List<NDArray> gradients(List<NDArray> inputs, Function<List<NDArray>, NDArray> function) {
        List<NDArray> gradients = once(inputs, function);
        for (int attempt = 1; attempt < ATTEMPTS && !allFinite(gradients); attempt++) {
            gradients = once(inputs, function);
        }
        return gradients;
    }

    private static boolean allFinite(List<NDArray> gradients) {
        for (NDArray g : gradients) {
            if (g.isNaN().any().getBoolean() || g.isInfinite().any().getBoolean()) {
                return false;
            }
        }
        return true;
    }

    private static List<NDArray> once(List<NDArray> inputs, Function<List<NDArray>, NDArray> function) {
        synchronized (ONE_COLLECTOR) {
            List<NDArray> leaves = new ArrayList<>();
            for (NDArray input : inputs) {
                NDArray leaf = input.duplicate();
                leaf.setRequiresGradient(true);
                leaves.add(leaf);
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray output = function.apply(leaves);
                collector.backward(output.getShape().isScalar() ? output : output.sum());
            }
            List<NDArray> gradients = new ArrayList<>();
            for (NDArray leaf : leaves) {
                gradients.add(leaf.getGradient().duplicate());
            }
            return gradients;
        }
    }
}
