package dev.dojo.report;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.Rotary;
import dev.dojo.reference.SelfAttention;
import dev.dojo.tensor.Seeded;

import java.util.Locale;

/**
 * Reads the attention weights out of any self-attention, without opening it, by linearity in V.
 * B batch, T tokens, C width, H query heads, H_kv key/value heads, D head size.
 *
 * <p>The component is built by its own factory with the real q and k projections, o set to the
 * identity, and a v projection solved from x so that, for one batch item, token s's value in every
 * head is a one-hot over a chunk of D tokens. The output's head-h slice at query t is then
 * row t of head h's weights over that chunk; ceil(T / D) runs per batch item read every key.
 * The values are a linear image of x only when x's T rows are linearly independent, so T ≤ C.
 * The maps are what the component applies to values: exact for any attention whose output is
 * o(weights · v), which is what a correct attention computes.
 */
public final class AttentionMaps {
    /** Largest |x Wvᵀ - one-hot| the solve may leave before the maps would be off by as much. */
    private static final double SOLVE_RESIDUAL = 1e-4;

    private AttentionMaps() {}

    /**
     * The maps a report shows for {@code subject}'s attention and {@code reference}'s, both in
     * {@code subject}'s model with the same weights drawn from {@code seed}, on a batch of two
     * sequences of min(7, C) tokens, the second padded on the right.
     */
    public static AttentionView view(Kit subject, Kit reference, NDManager manager, long seed) {
        ModelConfig c = subject.config();
        Seeded seeded = Seeded.of(manager, seed);
        Parameters p = c.layerParameters(seeded, "").under("self_attn");
        long tokens = Math.min(7, c.width());
        NDArray x = seeded.normal("report.x", 1, 2, tokens, c.width());
        AttentionMask mask = AttentionMask.padding(seeded.rightPadding(tokens, tokens, Math.max(1, tokens - 3)));
        Linear q = Linear.from(p.under("q_proj"));
        Linear k = Linear.from(p.under("k_proj"));
        Kit ref = reference.withConfig(c);
        NDArray actual = extract(subject.attention(), q, k, c.heads(), c.kvHeads(), subject.rotary(c), x, mask);
        NDArray expected = extract(ref.attention(), q, k, c.heads(), c.kvHeads(), ref.rotary(c), x, mask);
        return AttentionView.of(AttentionWeights.of(expected), AttentionWeights.of(actual), mask);
    }

    /**
     * The attention weights (B, H, T, T) that the attention built by {@code factory} from
     * {@code q}, {@code k}, {@code rope} applies to x under {@code mask}, in x's manager. Every
     * run of the component happens in a scope that is closed before returning.
     *
     * @throws IllegalArgumentException when T > C, the shapes disagree, or a batch item's tokens
     *                                  are linearly dependent (their weights cannot be told apart)
     */
    public static NDArray extract(Kit.AttentionFactory factory, Linear q, Linear k, int heads, int kvHeads,
                                  Rotary rope, NDArray x, AttentionMask mask) {
        Shape shape = x.getShape();
        if (shape.dimension() != 3) {
            throw new IllegalArgumentException("x must be (B, T, C), got " + shape);
        }
        int batch = Math.toIntExact(shape.get(0));
        int tokens = Math.toIntExact(shape.get(1));
        int width = Math.toIntExact(shape.get(2));
        if (tokens > width) {
            throw new IllegalArgumentException("attention maps can be read out only when the tokens (T = " + tokens
                    + ") are no more than the model width (C = " + width + "): the values are a linear image of x's"
                    + " T rows, so those rows must be independent; use a shorter sequence");
        }
        if (heads <= 0 || kvHeads <= 0 || q.out() % heads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must divide the query width (" + q.out() + ")");
        }
        int headSize = Math.toIntExact(q.out() / heads);
        if (k.out() != (long) kvHeads * headSize) {
            throw new IllegalArgumentException("k must project to KV heads · head size (" + kvHeads + " · " + headSize
                    + "), got " + k.out());
        }
        if (q.in() != width || k.in() != width) {
            throw new IllegalArgumentException("q and k must read the model width (" + width + "), got " + q.in()
                    + " and " + k.in());
        }
        int valueWidth = kvHeads * headSize;
        int chunks = (tokens + headSize - 1) / headSize;
        float[] weights = new float[batch * heads * tokens * tokens];
        try (NDManager scope = x.getManager().newSubManager()) {
            NDArray xs = copy(x, scope);                                                   // (B, T, C)
            AttentionMask ms = new AttentionMask(mask.causal(),
                    mask.padding() == null ? null : copy(mask.padding(), scope), mask.window());
            Linear qs = new Linear(copy(q.weight(), scope), q.bias() == null ? null : copy(q.bias(), scope));
            Linear ks = new Linear(copy(k.weight(), scope), k.bias() == null ? null : copy(k.bias(), scope));
            Linear identity = new Linear(scope.eye(heads * headSize), null);               // H·D → H·D
            for (int b = 0; b < batch; b++) {
                NDArray item = xs.get(b);                                                  // (T, C)
                NDArray pseudoInverse = pseudoInverse(item, b);                            // (C, T), float64
                for (int c = 0; c < chunks; c++) {
                    NDArray oneHot = scope.create(oneHot(c, tokens, headSize, kvHeads),
                            new Shape(tokens, valueWidth));                                // (T, H_kv·D), float64
                    NDArray wv = pseudoInverse.matMul(oneHot).transpose()                  // (H_kv·D, C)
                            .toType(DataType.FLOAT32, false);
                    double residual = item.matMul(wv.transpose())                          // (T, H_kv·D)
                            .sub(oneHot.toType(DataType.FLOAT32, false)).abs().max().getFloat();
                    if (!(residual <= SOLVE_RESIDUAL)) {
                        throw dependent(b, residual);
                    }
                    SelfAttention attention = factory.make(qs, ks, new Linear(wv, null), identity, heads, kvHeads,
                            rope);
                    NDArray out = attention.forward(xs, ms);                               // (B, T, H·D)
                    Shape expected = new Shape(batch, tokens, (long) heads * headSize);
                    if (!out.getShape().equals(expected)) {
                        throw new IllegalStateException("with o set to the identity the attention should return "
                                + expected + " (B, T, H·D), got " + out.getShape());
                    }
                    float[] slice = out.get(b).toType(DataType.FLOAT32, false).toFloatArray();   // (T, H·D)
                    for (int t = 0; t < tokens; t++) {
                        for (int h = 0; h < heads; h++) {
                            for (int d = 0; d < headSize && c * headSize + d < tokens; d++) {
                                int key = c * headSize + d;
                                weights[((b * heads + h) * tokens + t) * tokens + key] =
                                        slice[t * heads * headSize + h * headSize + d];
                            }
                        }
                    }
                }
            }
        }
        return x.getManager().create(weights, new Shape(batch, heads, tokens, tokens));
    }

    /** Row s, column g·D + d is 1 when s = c·D + d: chunk c of the tokens, one-hot in every KV head. */
    private static double[] oneHot(int c, int tokens, int headSize, int kvHeads) {
        int valueWidth = kvHeads * headSize;
        double[] values = new double[tokens * valueWidth];
        for (int d = 0; d < headSize && c * headSize + d < tokens; d++) {
            for (int g = 0; g < kvHeads; g++) {
                values[(c * headSize + d) * valueWidth + g * headSize + d] = 1;
            }
        }
        return values;
    }

    /** Xᵀ (X Xᵀ)⁻¹ in float64: (C, T), a right inverse of x's rows. */
    private static NDArray pseudoInverse(NDArray item, int b) {
        NDArray x = item.toType(DataType.FLOAT64, false);                                  // (T, C)
        NDArray gram = x.matMul(x.transpose());                                            // (T, T)
        try {
            return x.transpose().matMul(gram.inverse());                                   // (C, T)
        } catch (EngineException e) {
            throw dependent(b, Double.NaN);
        }
    }

    private static IllegalArgumentException dependent(int b, double residual) {
        return new IllegalArgumentException("the tokens of batch item " + b + " are (nearly) linearly dependent"
                + (Double.isNaN(residual) ? "" : String.format(Locale.ROOT, " (solve residual %.1e)", residual))
                + ", so their attention weights cannot be told apart from the output; use distinct token vectors");
    }

    private static NDArray copy(NDArray array, NDManager scope) {
        NDArray copy = array.duplicate();
        copy.attach(scope);
        return copy;
    }
}
