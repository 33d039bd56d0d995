package dev.dojo.drills;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.junit.ScopedManager;
import dev.dojo.tensor.Autograd;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static dev.dojo.assertions.DojoAssertions.assertThat;

// Contract: a drill's norm against the reference norm of its kind, on the same gains (and biases):
// - the drill's first case, x (B 3, T 6, C), and the full evidence when it fails
// - a single token; a 2-D input (T, C); a larger ε on small inputs; inputs a thousand times larger
// - each sample and token normalized on its own: the first sample alone as in the batch
// - the input's gradient agrees with the reference's
/** The contract every drill's LayerNorm or RMSNorm is held to: a drill's test class extends it with the drill's case. */
@ExtendWith(ScopedManager.class)
public abstract class NormContract {
    private final NormCase drill;

    protected NormContract(NormCase drill) {
        this.drill = drill;
    }

    @Test
    @DisplayName("agrees with the reference norm on the drill's first case")
    public void firstCase(NDManager manager) {
        drill.assertAgrees(manager, drill.seed());
    }

    @Test
    @DisplayName("agrees with the reference norm on a single token")
    public void singleToken(NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        NDArray x = NormCase.input(seeded, "x", DrillConfig.BATCH, 1, width());                     // (B, 1, C)

        agrees("Output for one token", norm(seeded, drill.eps()).forward(x), reference(seeded, drill.eps()).forward(x));
    }

    @Test
    @DisplayName("agrees with the reference norm on a 2-D input, (tokens, features)")
    public void twoDimensions(NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        NDArray x = NormCase.input(seeded, "x", DrillConfig.TOKENS, width());                       // (T, C)

        agrees("Output for a (T, C) input", norm(seeded, drill.eps()).forward(x),
                reference(seeded, drill.eps()).forward(x));
    }

    @Test
    @DisplayName("normalizes each sample on its own: the first sample alone gives what it gives in the batch")
    public void sampleOnItsOwn(NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        NDArray x = NormCase.input(seeded, "x", DrillConfig.BATCH, DrillConfig.TOKENS, width());    // (B, T, C)
        NDArray first = x.get(new NDIndex("0:1"));                                                   // (1, T, C)

        agrees("Output for sample 0 alone", norm(seeded, drill.eps()).forward(first),
                norm(seeded, drill.eps()).forward(x).get(new NDIndex("0:1")));
    }

    @Test
    @DisplayName("agrees with the reference norm with a larger ε (0.1) on small inputs")
    public void largerEpsilon(NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        NDArray x = NormCase.input(seeded, "x", DrillConfig.BATCH, DrillConfig.TOKENS, width()).mul(0.2f);   // (B, T, C)

        agrees("Output with ε 0.1", norm(seeded, 0.1).forward(x), reference(seeded, 0.1).forward(x));
    }

    @Test
    @DisplayName("agrees with the reference norm on inputs a thousand times larger")
    public void largeInputs(NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        NDArray x = NormCase.input(seeded, "x", DrillConfig.BATCH, DrillConfig.TOKENS, width()).mul(1000f);  // (B, T, C)

        agrees("Output for inputs ×1000", norm(seeded, drill.eps()).forward(x), reference(seeded, drill.eps()).forward(x));
    }

    @Test
    @DisplayName("the input's gradient agrees with the reference's")
    public void inputGradient(NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        NDArray x = NormCase.input(seeded, "x", DrillConfig.BATCH, DrillConfig.TOKENS, width());    // (B, T, C)
        NDArray r = seeded.normal("r", 1, DrillConfig.BATCH, DrillConfig.TOKENS, width());           // (B, T, C)

        NDArray mine = Autograd.gradients(List.of(x), in -> norm(seeded, drill.eps()).forward(in.get(0)).mul(r)).get(0);
        NDArray theirs = Autograd.gradients(List.of(x), in -> reference(seeded, drill.eps()).forward(in.get(0)).mul(r))
                .get(0);

        agrees("Gradient of the input", mine, theirs);
    }

    private long width() {
        return drill.config().model().width();
    }

    private dev.dojo.reference.Norm norm(Seeded seeded, double eps) {
        return drill.norm(seeded, width(), eps);
    }

    private dev.dojo.reference.Norm reference(Seeded seeded, double eps) {
        return drill.reference(seeded, width(), eps);
    }

    private void agrees(String subject, NDArray actual, NDArray expected) {
        List<String> axes = actual.getShape().dimension() == 2 ? List.of("pos", "dim") : List.of("batch", "pos", "dim");
        assertThat(actual).named(subject).against("the reference " + drill.name()).withSeed(drill.seed())
                .withAxes(axes.toArray(String[]::new)).isCloseTo(expected, PartCase.TOLERANCE);
    }
}
