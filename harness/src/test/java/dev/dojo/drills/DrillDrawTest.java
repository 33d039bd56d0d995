package dev.dojo.drills;

import dev.dojo.kit.ModelConfig.NormKind;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.TransformerBlock.Placement;
import dev.dojo.variants.Variant;
import dev.dojo.variants.Variants;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Contract: a seed draws the same drill every time; the drawn model has what the bug needs (grouped
// KV heads, RoPE, a pre- or post-norm block, the norm of the part, half-split RoPE for rotate_half)
// and varies the rest; topic, difficulty and bug class narrow the candidates; every variant is rated.
class DrillDrawTest {

    @Test
    @DisplayName("the same seed and candidates draw the same drill, with the same id")
    void sameSeedSameDrill() {
        Drill a = Drill.draw(4242, Drills.plantable());
        Drill b = Drill.draw(4242, Drills.plantable());

        assertThat(b).isEqualTo(a);
        assertThat(a.id()).matches("[0-9a-f]{6}");
        assertThat(Drill.draw(4243, Drills.plantable()).id()).isNotEqualTo(a.id());
    }

    @Test
    @DisplayName("every drawn model gives the bug what it needs")
    void configurationFitsTheBug() {
        for (long seed = 0; seed < 300; seed++) {
            Drill drill = Drill.draw(seed, Drills.plantable());
            DrillConfig c = drill.config();
            Variant v = drill.variant();
            String label = "seed " + seed + " " + v.name();

            assertThat(v.appliesTo(v.kit().withConfig(c.model()))).as(label).isTrue();
            assertThat(c.model().headSize() % 2).as(label).isZero();
            if (v.needs().contains(Variant.Feature.GROUPED_KV_HEADS)) {
                assertThat(c.model().kvHeads()).as(label).isGreaterThan(1).isLessThan(c.model().heads());
            }
            if (v.needs().contains(Variant.Feature.ROPE) || drill.part() == DrillPart.ROTARY) {
                assertThat(c.model().rope()).as(label).isTrue();
            }
            if (drill.step().equals("rotateHalf")) {
                assertThat(c.pairing()).as(label).isEqualTo(RopePairing.HALF_SPLIT);
            }
            if (drill.part() == DrillPart.LAYER_NORM) {
                assertThat(c.model().norm()).as(label).isEqualTo(NormKind.LAYER_NORM);
            }
            if (drill.part() == DrillPart.RMS_NORM) {
                assertThat(c.model().norm()).as(label).isEqualTo(NormKind.RMS_NORM);
            }
            if (v.needs().contains(Variant.Feature.PRE_NORM)) {
                assertThat(c.model().placement()).as(label).isEqualTo(Placement.PRE_NORM);
            }
        }
    }

    @Test
    @DisplayName("drawn models vary: widths, head counts, pairings, norms and mask layouts all occur")
    void modelsVary() {
        Set<Integer> widths = new HashSet<>();
        Set<String> heads = new HashSet<>();
        Set<RopePairing> pairings = new HashSet<>();
        Set<MaskLayout> layouts = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            DrillConfig c = Drill.draw(seed, Drills.plantable()).config();
            widths.add(c.model().width());
            heads.add(c.model().heads() + "/" + c.model().kvHeads());
            pairings.add(c.pairing());
            layouts.add(c.layout());
        }

        assertThat(widths).containsExactlyInAnyOrder(16, 24, 32);
        assertThat(heads).hasSizeGreaterThan(8).contains("4/1", "4/4", "6/3");
        assertThat(pairings).containsExactlyInAnyOrder(RopePairing.values());
        assertThat(layouts).containsExactlyInAnyOrder(MaskLayout.values());
    }

    @Test
    @DisplayName("topic, difficulty and bug classes narrow the candidates; unknown ones are refused")
    void candidates() {
        assertThat(Drills.candidates("rope", null, null)).extracting(Variant::name)
                .containsExactly("rope-from-one", "rope-ignores-offset", "rope-rotate-half-sign");
        assertThat(Drills.candidates("norm", 2, null)).extracting(Variant::name)
                .containsExactly("rmsnorm-over-everything", "layernorm-no-centering", "rmsnorm-no-sqrt");
        assertThat(Drills.candidates(null, null, Set.of("GQA grouping"))).extracting(Variant::name)
                .containsExactly("gqa-tile");
        assertThat(Drills.candidates("BLOCK", null, null)).hasSize(2);
        assertThatThrownBy(() -> Drills.candidates("mlp", null, null)).hasMessageContaining("attention, rope, norm, block");
        assertThatThrownBy(() -> Drills.candidates(null, 6, null)).hasMessageContaining("from 1 to 5");
        assertThatThrownBy(() -> Drill.draw(1, List.of())).hasMessageContaining("nothing to draw");
    }

    @Test
    @DisplayName("every variant has a drill difficulty, from 1 to 5 stars, and every topic has drills")
    void everyVariantIsRated() {
        for (Variant v : Drills.plantable()) {
            assertThat(Difficulty.of(v)).as(v.name()).isBetween(1, 5);
        }
        assertThat(Difficulty.DECLARED.keySet()).containsExactlyInAnyOrderElementsOf(
                Drills.plantable().stream().map(Variant::name).toList());
        for (String topic : DrillPart.topics()) {
            assertThat(Drills.candidates(topic, null, null)).as(topic).isNotEmpty();
        }
    }
}
