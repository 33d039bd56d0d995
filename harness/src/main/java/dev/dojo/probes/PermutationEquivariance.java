package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.SelfAttention;
import dev.dojo.tensor.Seeded;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Permutation equivariance: attention without position information (no RoPE) and without a mask
 * treats its tokens as a set, so permuting the input tokens permutes the outputs the same way:
 * attention(P·x) = P·attention(x). The probe builds the kit's attention with RoPE off and applies a
 * seeded permutation of the tokens. Needs no reference implementation.
 * <p>
 * Blind spots: it turns RoPE and masks off, so it says nothing about them; anything symmetric in
 * the tokens passes, such as softmax over the query axis or a wrong scale.
 */
public final class PermutationEquivariance implements Probe {
    public static final String NAME = "permutation equivariance";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "without RoPE or a mask, permuting the tokens permutes attention's outputs the same way";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config().withRope(false);
        Seeded seeded = Seeded.of(manager, seed);
        SelfAttention attention = kit.attention(c.layerParameters(seeded, "").under("self_attn"), c);
        return check(attention, seeded, 2, 6, c.width());
    }

    /** Compares attention(P·x) with P·attention(x) for x: (B, T, C) and a seeded permutation P of the tokens. */
    public static ProbeResult check(SelfAttention attention, Seeded seeded, long batch, int tokens, long width) {
        NDArray x = seeded.normal("permutation-equivariance.x", 1, batch, tokens, width);
        int[] order = permutation(seeded.stream("permutation-equivariance.order"), tokens);
        NDArray permutedOutput = attention.forward(permute(x, order), AttentionMask.none());
        NDArray outputPermuted = permute(attention.forward(x, AttentionMask.none()), order);
        return new ProbeResult(NAME, "without RoPE or a mask, attention(P·x) must equal P·attention(x) for the"
                + " token order " + Arrays.toString(order), Comparison.of(permutedOutput, outputPermuted, TOLERANCE),
                "Output for the tokens in order " + Arrays.toString(order), "the output for the tokens in order,"
                + " permuted alike", List.of("batch", "pos", "dim"), seeded.seed());
    }

    /** A uniformly drawn permutation of 0..n-1 that is not the identity. */
    private static int[] permutation(SplittableRandom random, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        boolean identity = true;
        for (int i = 0; i < n; i++) {
            identity &= order[i] == i;
        }
        if (identity) {
            for (int i = 0; i < n; i++) {
                order[i] = n - 1 - i;
            }
        }
        return order;
    }

    /** x: (B, T, C) with its tokens in {@code order}: token i of the result is token order[i] of x. */
    private static NDArray permute(NDArray x, int[] order) {
        NDArray out = null;
        for (int from : order) {
            NDArray token = x.get(new NDIndex(":, {}:{}", from, from + 1));
            out = out == null ? token : out.concat(token, 1);
        }
        return out;
    }
}
