package dev.dojo.drills;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.junit.ScopedManager;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.Parameters;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static dev.dojo.assertions.DojoAssertions.assertThat;

// Contract: a drill's RoPE, pairing coordinates as the drill's model does, against the reference RoPE:
// - the drill's first case, queries (B 3, H, T 6, D) from position 0, and the full evidence when it fails
// - queries rotated from a later position (a cache offset); another head size
// - position 0 is not rotated
// - inside the reference attention: the drill's mask layout, and decoding with a KV cache (two
//   tokens, then one at a time) agree with the reference attention and RoPE
/** The contract every drill's RoPE is held to: a drill's test class extends it with the drill's case. */
@ExtendWith(ScopedManager.class)
public abstract class RotaryContract {
    private final RotaryCase drill;

    protected RotaryContract(RotaryCase drill) {
        this.drill = drill;
    }

    @Test
    @DisplayName("agrees with the reference RoPE on the drill's first case")
    public void firstCase(NDManager manager) {
        drill.assertAgrees(manager, drill.seed());
    }

    @Test
    @DisplayName("rotates queries that start at position 5 as the reference does")
    public void laterPosition(NDManager manager) {
        NDArray q = queries(manager, model().headSize());                                              // (B, H, T, D)

        agrees("Queries rotated from position 5", drill.rotary(model().headSize()).apply(q, 5),
                drill.reference(model().headSize()).apply(q, 5));
    }

    @Test
    @DisplayName("agrees with the reference RoPE for another head size")
    public void otherHeadSize(NDManager manager) {
        int headSize = model().headSize() == 16 ? 8 : 16;
        NDArray q = queries(manager, headSize);                                                        // (B, H, T, D)

        agrees("Rotated queries of head size " + headSize, drill.rotary(headSize).apply(q, 0),
                drill.reference(headSize).apply(q, 0));
    }

    @Test
    @DisplayName("leaves the token at position 0 unrotated")
    public void positionZero(NDManager manager) {
        NDArray q = queries(manager, model().headSize());                                              // (B, H, T, D)
        NDArray rotated = drill.rotary(model().headSize()).apply(q, 0);                                // (B, H, T, D)

        agrees("The rotated query at position 0", rotated.get(new NDIndex(":, :, 0:1")), q.get(new NDIndex(":, :, 0:1")));
    }

    @Test
    @DisplayName("inside attention, agrees with the reference under the drill's mask layout")
    public void insideAttention(NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        Parameters p = model().layerParameters(seeded, "").under("self_attn");
        NDArray x = seeded.normal("x", 1, DrillConfig.BATCH, DrillConfig.TOKENS, model().width());      // (B, T, C)
        MaskLayout layout = drill.config().layout();
        NDArray padding = layout.padding(seeded, DrillConfig.BATCH, DrillConfig.TOKENS);                // (B, T) or null

        NDArray out = drill.kit().attention(p, model()).forward(x, layout.mask(padding));
        NDArray expected = drill.referenceKit().attention(p, model()).forward(x, layout.mask(padding));

        agrees("Attention output with " + layout, MaskLayout.realTokens(out, padding),
                MaskLayout.realTokens(expected, padding));
    }

    @Test
    @DisplayName("inside attention, decoding with a KV cache agrees with the reference's decoding")
    public void cachedDecoding(NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        Parameters p = model().layerParameters(seeded, "").under("self_attn");
        NDArray x = seeded.normal("x", 1, DrillConfig.BATCH, DrillConfig.TOKENS, model().width());      // (B, T, C)

        agrees("Attention output, decoded with a KV cache",
                Decoding.decode((CachedAttention) drill.kit().attention(p, model()), x),
                Decoding.decode((CachedAttention) drill.referenceKit().attention(p, model()), x));
    }

    private NDArray queries(NDManager manager, int headSize) {
        return Seeded.of(manager, drill.seed()).normal("q", 1, DrillConfig.BATCH, model().heads(), DrillConfig.TOKENS,
                headSize);
    }

    private ModelConfig model() {
        return drill.config().model();
    }

    private void agrees(String subject, NDArray actual, NDArray expected) {
        List<String> axes = actual.getShape().dimension() == 4 ? List.of("batch", "head", "pos", "dim")
                : List.of("batch", "pos", "dim");
        assertThat(actual).named(subject).against("the reference").withSeed(drill.seed())
                .withAxes(axes.toArray(String[]::new)).isCloseTo(expected, PartCase.TOLERANCE);
    }
}
