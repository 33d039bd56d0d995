package dev.dojo.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Parameters;
import dev.dojo.tensor.Autograd;
import dev.dojo.tensor.Seeded;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gradient flow: every parameter of a block takes part in its output, so a generic loss (the
 * output times fixed random weights, summed) gives every parameter a finite gradient that is not
 * all zero. The probe rebuilds a block of the kit from autograd leaves (a decoder block, attending
 * to a fixed memory, when the model has cross-attention) and names each parameter whose gradient is
 * zero (detached or unused) or not finite. Needs no reference implementation.
 * <p>
 * Blind spots: it checks that a gradient arrives, not that it is right (a wrong but connected
 * formula passes); one generic loss at one point could, in principle, give a used parameter an
 * exactly zero gradient; it cannot see parameters the block never receives.
 */
public final class GradientFlow implements Probe {
    public static final String NAME = "gradient flow";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String property() {
        return "every parameter of a block receives a finite, non-zero gradient";
    }

    @Override
    public ProbeResult check(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        Seeded seeded = Seeded.of(manager, seed);
        Parameters p = c.layerParameters(seeded, "");
        NDArray x = seeded.normal("gradient-flow.x", 1, 2, 6, c.width());
        NDArray weights = seeded.normal("gradient-flow.loss-weights", 1, 2, 6, c.width());
        NDArray memory = c.crossAttention() ? seeded.normal("gradient-flow.memory", 1, 2, 5, c.width()) : null;
        List<String> names = new ArrayList<>(p.byName().keySet());
        List<NDArray> gradients = Autograd.gradients(new ArrayList<>(p.byName().values()), leaves -> {
            Map<String, NDArray> byName = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                byName.put(names.get(i), leaves.get(i));
            }
            Parameters leafParameters = new Parameters(byName);
            NDArray out = c.crossAttention()
                    ? kit.decoderBlock(leafParameters, c).forward(x, memory, AttentionMask.causalOnly(),
                            AttentionMask.none())
                    : kit.block(leafParameters, c).forward(x, AttentionMask.causalOnly());
            return out.mul(weights).sum();
        });
        List<String> zero = new ArrayList<>();
        List<String> notFinite = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            boolean finite = true;
            boolean allZero = true;
            for (float g : gradients.get(i).toFloatArray()) {
                finite &= Float.isFinite(g);
                allZero &= g == 0;
            }
            if (!finite) {
                notFinite.add(names.get(i));
            } else if (allZero) {
                zero.add(names.get(i));
            }
        }
        return ProbeResult.decided(NAME, property(), zero.isEmpty() && notFinite.isEmpty(),
                evidence(names.size(), zero, notFinite), seed);
    }

    private static String evidence(int parameters, List<String> zero, List<String> notFinite) {
        if (zero.isEmpty() && notFinite.isEmpty()) {
            return "all " + parameters + " parameters receive a finite, non-zero gradient";
        }
        List<String> parts = new ArrayList<>();
        if (!zero.isEmpty()) {
            parts.add("no gradient reaches " + String.join(", ", zero) + " (detached or unused)");
        }
        if (!notFinite.isEmpty()) {
            parts.add("NaN or Inf gradient in " + String.join(", ", notFinite));
        }
        return String.join("; ", parts) + " — of " + parameters + " parameters";
    }
}
