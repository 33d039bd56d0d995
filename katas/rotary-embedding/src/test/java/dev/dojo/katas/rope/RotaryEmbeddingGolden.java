package dev.dojo.katas.rope;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Tolerance;
import dev.dojo.golden.GoldenModel;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.Rotary;
import dev.dojo.tensor.Seeded;

import java.util.List;

/** RotaryEmbedding against rotate_half RoPE in PyTorch, on seeded inputs after a seeded number of cached tokens. */
public final class RotaryEmbeddingGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(11);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    static final String MODEL = "rope_half_split";
    static final List<String> AXES = List.of("batch", "head", "pos", "dim");
    static final int HEAD_SIZE = 8;
    static final double THETA = 10_000;

    /** The embedding under test, with the golden module's head size and θ. */
    static RotaryEmbedding rope() {
        return new RotaryEmbedding(HEAD_SIZE, THETA);
    }

    /** The kata's embedding in a tiny Llama-shaped model: RMSNorm, grouped-query attention, SwiGLU. */
    @Override
    public Kit kit() {
        return Kit.reference(ModelConfig.tinyLlama()).named("rotary-embedding").withRotary((headSize, theta) -> {
            RotaryEmbedding rope = new RotaryEmbedding(headSize, theta);
            return new Rotary() {
                @Override
                public NDArray apply(NDArray x, long offset) {
                    return rope.apply(x, offset);
                }

                @Override
                public int headSize() {
                    return headSize;
                }
            };
        });
    }

    @Override
    public long seed() {
        return SEED;
    }

    @Override
    public Tolerance tolerance() {
        return TOLERANCE;
    }

    @Override
    public Outputs run(NDManager manager, long seed) {
        Seeded seeded = Seeded.of(manager, seed);
        NDArray x = seeded.normal("x", 1, 2, 3, 8, HEAD_SIZE);                 // (B, H, T, D)
        long offset = seeded.stream("offset").nextLong(6);                     // tokens already cached
        NDArray actual = rope().apply(x, offset);
        NDArray expected = GoldenModel.named(MODEL).run(manager, x, manager.create(offset)).singletonOrThrow();
        return new Outputs(actual, expected, "RoPE output after " + offset + " cached tokens",
                "PyTorch's rotate_half RoPE", AXES);
    }
}
