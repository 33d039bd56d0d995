package dev.dojo.drills;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.junit.ScopedManager;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.SelfAttention;
import dev.dojo.tensor.Autograd;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

// Contract: a drill's attention, in the drill's model, against the reference attention on the same
// weights and inputs (B 3, T 6):
// - the drill's first case, with its mask layout, and the full evidence when it fails
// - every mask layout: none, causal, padding on the right or left, causal with either (real tokens)
// - a query that sees no key (a pad before the first token, a sample that is all padding) stays finite
// - decoding with a KV cache, two tokens and then one at a time, agrees with the reference's decoding
// - scores in the thousands stay finite; a single token agrees; every projection's gradient agrees
/**
 * The contract every drill's attention is held to: a drill's test class extends it with the drill's case.
 */
@ExtendWith(ScopedManager.class)
public abstract class AttentionContract {
    private final AttentionCase drill;

    protected AttentionContract(AttentionCase drill) {
        this.drill = drill;
    }

    @Test
    @DisplayName("agrees with the reference attention on the drill's first case")
    public void firstCase(NDManager manager) {
        drill.assertAgrees(manager, drill.seed());
    }

    @ParameterizedTest(name = "agrees with the reference attention under {0}")
    @EnumSource(MaskLayout.class)
    public void everyMaskLayout(MaskLayout layout, NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        NDArray x = seeded.normal("x", 1, DrillConfig.BATCH, DrillConfig.TOKENS, model().width());      // (B, T, C)
        NDArray padding = layout.padding(seeded, DrillConfig.BATCH, DrillConfig.TOKENS);                // (B, T) or null
        NDArray out = attention(seeded).forward(x, layout.mask(padding));
        NDArray expected = reference(seeded).forward(x, layout.mask(padding));

        agrees("Attention output with " + layout, MaskLayout.realTokens(out, padding),
                MaskLayout.realTokens(expected, padding));
    }

    @Test
    @DisplayName("a query that sees no key still gives finite outputs")
    public void queryWithoutKeysIsFinite(NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        NDArray x = seeded.normal("x", 1, 2, DrillConfig.TOKENS, model().width());                        // (B, T, C)
        NDArray leftPadded = seeded.leftPadding(DrillConfig.TOKENS, DrillConfig.TOKENS, 3);               // (B, T)
        NDArray allPads = seeded.rightPadding(DrillConfig.TOKENS, 1, DrillConfig.TOKENS)
                .mul(manager.create(new float[] {0, 1}).reshape(2, 1));                                   // sample 0: all pads

        assertThat(attention(seeded).forward(x, AttentionMask.causal(leftPadded)))
                .named("Attention output, causal mask, sample 1 padded on the left").withSeed(drill.seed())
                .withAxes("batch", "pos", "dim").isFinite();
        assertThat(attention(seeded).forward(x, AttentionMask.padding(allPads)))
                .named("Attention output, sample 0 all padding").withSeed(drill.seed())
                .withAxes("batch", "pos", "dim").isFinite();
    }

    @Test
    @DisplayName("decoding with a KV cache, two tokens then one at a time, agrees with the reference's decoding")
    public void cachedDecoding(NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        NDArray x = seeded.normal("x", 1, DrillConfig.BATCH, DrillConfig.TOKENS, model().width());      // (B, T, C)
        SelfAttention attention = attention(seeded);
        if (!(attention instanceof CachedAttention cached)) {
            fail("the attention must take a KV cache (implement CachedAttention), as the reference does");
            return;
        }

        agrees("Attention output, decoded with a KV cache", Decoding.decode(cached, x),
                Decoding.decode((CachedAttention) reference(seeded), x));
    }

    @Test
    @DisplayName("scores in the thousands (q and k weights ×100) still give finite outputs")
    public void largeScoresAreFinite(NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        Map<String, NDArray> sharp = new LinkedHashMap<>(drill.weights(seeded).byName());
        sharp.put("q_proj.weight", sharp.get("q_proj.weight").mul(100f));
        sharp.put("k_proj.weight", sharp.get("k_proj.weight").mul(100f));
        NDArray x = seeded.normal("x", 1, DrillConfig.BATCH, DrillConfig.TOKENS, model().width());      // (B, T, C)

        assertThat(drill.kit().attention(new Parameters(sharp), model()).forward(x, AttentionMask.causalOnly()))
                .named("Attention output, q and k weights ×100").withSeed(drill.seed())
                .withAxes("batch", "pos", "dim").isFinite();
    }

    @Test
    @DisplayName("agrees with the reference attention on a single token")
    public void singleToken(NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        NDArray x = seeded.normal("x", 1, DrillConfig.BATCH, 1, model().width());                        // (B, 1, C)

        agrees("Attention output for one token", attention(seeded).forward(x, AttentionMask.causalOnly()),
                reference(seeded).forward(x, AttentionMask.causalOnly()));
    }

    @Test
    @DisplayName("every projection's gradient agrees with the reference's, under a causal mask")
    public void gradients(NDManager manager) {
        Seeded seeded = Seeded.of(manager, drill.seed());
        NDArray x = seeded.normal("x", 1, DrillConfig.BATCH, DrillConfig.TOKENS, model().width());      // (B, T, C)
        NDArray r = seeded.normal("r", 1, DrillConfig.BATCH, DrillConfig.TOKENS, model().width());      // (B, T, C)
        Map<String, NDArray> weights = drill.weights(seeded).byName();
        List<String> names = new ArrayList<>(weights.keySet());

        List<NDArray> mine = Autograd.gradients(new ArrayList<>(weights.values()), leaves -> drill.kit()
                .attention(parameters(names, leaves), model()).forward(x, AttentionMask.causalOnly()).mul(r));
        List<NDArray> theirs = Autograd.gradients(new ArrayList<>(weights.values()), leaves -> drill.referenceKit()
                .attention(parameters(names, leaves), model()).forward(x, AttentionMask.causalOnly()).mul(r));

        for (int i = 0; i < names.size(); i++) {
            assertThat(mine.get(i)).named("gradient of " + names.get(i)).against("the reference attention's")
                    .withSeed(drill.seed()).withAxes("out", "in").isCloseTo(theirs.get(i), PartCase.TOLERANCE);
        }
    }

    private static Parameters parameters(List<String> names, List<NDArray> values) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            p.put(names.get(i), values.get(i));
        }
        return new Parameters(p);
    }

    private ModelConfig model() {
        return drill.config().model();
    }

    private SelfAttention attention(Seeded seeded) {
        return drill.kit().attention(drill.weights(seeded), model());
    }

    private SelfAttention reference(Seeded seeded) {
        return drill.referenceKit().attention(drill.weights(seeded), model());
    }

    private void agrees(String subject, NDArray actual, NDArray expected) {
        assertThat(actual).named(subject).against("the reference attention").withSeed(drill.seed())
                .withAxes("batch", "pos", "dim").isCloseTo(expected, PartCase.TOLERANCE);
    }
}
