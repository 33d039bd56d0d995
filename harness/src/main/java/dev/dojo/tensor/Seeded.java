package dev.dojo.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The one seeded tensor factory. Every tensor is drawn from a stream named by (seed, name), so
 * adding a tensor never changes the others, and a failure can print the seed that reproduces it.
 * Values are drawn in Java, so they are the same on every engine and platform.
 */
public final class Seeded {
    private final NDManager manager;
    private final long seed;

    private Seeded(NDManager manager, long seed) {
        this.manager = manager;
        this.seed = seed;
    }

    /** The system property through which {@code ./kata test --seed N} reruns a kata at seed N. */
    public static final String SEED_PROPERTY = "dojo.seed";

    /**
     * The seed a kata's tests run at: {@code byDefault}, unless {@code ./kata test --seed N} (the
     * system property {@value #SEED_PROPERTY}) chose another to rerun a failure it printed.
     */
    public static long chosen(long byDefault) {
        String chosen = System.getProperty(SEED_PROPERTY);
        if (chosen == null || chosen.isBlank()) {
            return byDefault;
        }
        try {
            return Long.parseLong(chosen.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SEED_PROPERTY + " must be a whole number, not '" + chosen + "'", e);
        }
    }

    /** A factory whose tensors live in {@code manager} and are reproduced by {@code seed}. */
    public static Seeded of(NDManager manager, long seed) {
        return new Seeded(manager, seed);
    }

    /** The seed that reproduces every tensor of this factory. */
    public long seed() {
        return seed;
    }

    /** The manager the tensors live in. */
    public NDManager manager() {
        return manager;
    }

    /** Standard-normal float32 values scaled by {@code std}, from the stream named {@code name}. */
    public NDArray normal(String name, double std, long... shape) {
        SplittableRandom random = stream(name);
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (std * gaussian(random));
        }
        return manager.create(values, new Shape(shape));
    }

    /** Standard-normal float32 values of {@code shape}, from the stream named {@code name}. */
    public NDArray normal(String name, Shape shape) {
        return normal(name, 1, shape.getShape());
    }

    /** Standard-normal float32 values scaled by {@code std}, of {@code shape}. */
    public NDArray normal(String name, double std, Shape shape) {
        return normal(name, std, shape.getShape());
    }

    /** Uniform float32 values in [low, high), from the stream named {@code name}. */
    public NDArray uniform(String name, double low, double high, long... shape) {
        SplittableRandom random = stream(name);
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return manager.create(values, new Shape(shape));
    }

    /** Int64 values in [0, bound), from the stream named {@code name}. */
    public NDArray integers(String name, long bound, long... shape) {
        SplittableRandom random = stream(name);
        long[] values = new long[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextLong(bound);
        }
        return manager.create(values, new Shape(shape)).toType(DataType.INT64, false);
    }

    /** A (B, T) padding mask, 1 for tokens and 0 for pads: item b keeps {@code lengths[b]} leading tokens. */
    public NDArray rightPadding(long tokens, long... lengths) {
        float[] values = new float[Math.toIntExact(lengths.length * tokens)];
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 1 || lengths[b] > tokens) {
                throw new IllegalArgumentException("length of item " + b + " (" + lengths[b]
                        + ") must be between 1 and the number of tokens (" + tokens + ")");
            }
            for (int t = 0; t < lengths[b]; t++) {
                values[Math.toIntExact(b * tokens + t)] = 1f;
            }
        }
        return manager.create(values, new Shape(lengths.length, tokens));
    }

    /**
     * A (B, T) padding mask, 1 for tokens and 0 for pads: item b keeps {@code lengths[b]} trailing
     * tokens, its pads in front, as batched generation lays a batch out.
     */
    public NDArray leftPadding(long tokens, long... lengths) {
        NDArray right = rightPadding(tokens, lengths);
        return right.flip(1);
    }

    /** A random generator for the stream named {@code name}, for choices that are not tensors. */
    public SplittableRandom stream(String name) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ b) * 0x100000001B3L;
        }
        return new SplittableRandom(h);
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; one value per call keeps each stream's values independent of the shape.
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
