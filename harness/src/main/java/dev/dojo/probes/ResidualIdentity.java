package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.LinkedHashMap;
import dev.dojo.reference.TransformerBlock;
import dev.dojo.reference.Parameters;
import dev.dojo.kit.ModelConfig;
import dev.dojo.kit.Kit;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Block;
import dev.dojo.reference.Norm;
import dev.dojo.tensor.Seeded;

import java.util.List;

/**
 * Residual identity: with every sublayer's output projection zeroed, each sublayer adds nothing,
 * so a pre-norm block returns its input and a post-norm block returns norm2(norm1(x)).
 * Needs no reference implementation.
 */
public final class ResidualIdentity implements Probe {
    public static final String NAME = "residual identity";
    private static final Tolerance TOLERANCE = Tolerance.of(1e-6, 1e-5);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "with its sublayers' output projections zeroed, a pre-norm block returns its input and a post-norm"
                + " block returns norm2(norm1(x))";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        Seeded seeded = Seeded.of(manager, seed);
        Parameters p = zeroOutputs(c.layerParameters(seeded, ""));
        Block zeroed = kit.block(p, c);
        if (c.placement() == TransformerBlock.Placement.PRE_NORM) {
            return preNorm(zeroed, seeded, 2, 6, c.width());
        }
        return postNorm(zeroed, kit.norm(p.under("input_layernorm"), c), kit.norm(p.under("post_attention_layernorm"), c),
                seeded, 2, 6, c.width());
    }

    /** The same parameters with the attention's and the feed-forward's output projections set to zero. */
    static Parameters zeroOutputs(Parameters p) {
        Map<String, NDArray> zeroed = new LinkedHashMap<>();
        p.byName().forEach((name, value) -> zeroed.put(name, name.startsWith("self_attn.o_proj.")
                || name.startsWith("mlp.down_proj.") || name.startsWith("mlp.fc2.") ? value.zerosLike() : value));
        return new Parameters(zeroed);
    }

    /** {@code zeroed} is the block under test built with zeroed sublayer outputs; x is drawn from {@code seeded}. */
    public static ProbeResult preNorm(Block zeroed, Seeded seeded, long batch, long tokens, long width) {
        NDArray x = seeded.normal("residual-identity.x", 1, batch, tokens, width);
        NDArray y = zeroed.forward(x, AttentionMask.none());
        return new ProbeResult(NAME, "with its sublayers' output projections zeroed, a pre-norm block must return"
                + " its input unchanged", Comparison.of(y, x, TOLERANCE), "Block output", "the block's input",
                List.of("batch", "pos", "dim"), seeded.seed());
    }

    /** As {@link #preNorm}, for a post-norm block with norms {@code norm1} and {@code norm2}. */
    public static ProbeResult postNorm(Block zeroed, Norm norm1, Norm norm2, Seeded seeded, long batch, long tokens,
                                       long width) {
        NDArray x = seeded.normal("residual-identity.x", 1, batch, tokens, width);
        NDArray y = zeroed.forward(x, AttentionMask.none());
        return new ProbeResult(NAME, "with its sublayers' output projections zeroed, a post-norm block must return"
                + " norm2(norm1(x))", Comparison.of(y, norm2.forward(norm1.forward(x)), TOLERANCE), "Block output",
                "norm2(norm1(input))", List.of("batch", "pos", "dim"), seeded.seed());
    }
}
