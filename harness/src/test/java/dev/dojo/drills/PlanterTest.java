package dev.dojo.drills;

import dev.dojo.variants.Variant;
import dev.dojo.variants.Variants;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

// Contract: every known-bad variant plants into its reference part's source: one step's body replaced,
// the rest the reference moved into the drill's package; nothing in the drill's source names a
// variant, and every drill of a part shares one header; the fix is the reference's step.
class PlanterTest {

    @Test
    @DisplayName("every variant overrides exactly one step of its part, and plants into that method's body")
    void everyVariantPlants() {
        for (Variant v : Drills.plantable()) {
            Planted planted = Planter.plant(v);

            assertThat(planted.step()).as(v.name()).isEqualTo(Planter.step(v));
            assertThat(planted.first()).as(v.name()).isLessThanOrEqualTo(planted.last());
            assertThat(planted.source()).as(v.name()).isNotEqualTo(planted.reference())
                    .startsWith("package " + Planter.PACKAGE + ";");
            assertThat(BlindDrillsTest.changedOutsidePlantedLines(planted)).as(v.name()).isEmpty();
        }
    }

    @Test
    @DisplayName("a drill's source names no variant, no bug class and no 'known-bad', and calls no accessor of its own fields")
    void nothingGivesTheBugAway() {
        for (Variant v : Drills.plantable()) {
            String source = Planter.plant(v).source();
            String lower = source.toLowerCase(Locale.ROOT);

            assertThat(source).as(v.name()).doesNotContain(Planter.variantClass(v).getSimpleName(), "dev.dojo.variants");
            assertThat(lower).as(v.name()).doesNotContain(v.name(), v.family().toLowerCase(Locale.ROOT), "known-bad",
                    "variant");
            assertThat(source).as(v.name()).doesNotContainPattern("[^.\\w](rope|eps|heads|kvHeads|headSize|norm1|norm2"
                    + "|attention|feedForward)\\(\\)\\.");
        }
    }

    @Test
    @DisplayName("every drill of a part has the same header and lines outside its step as the reference moved")
    void oneHeaderPerPart() {
        for (Variant v : Drills.plantable()) {
            Planted planted = Planter.plant(v);
            List<String> drill = List.of(planted.source().split("\n", -1));
            List<String> reference = List.of(planted.reference().split("\n", -1));

            assertThat(drill.subList(0, planted.first() - 1)).as(v.name())
                    .isEqualTo(reference.subList(0, planted.referenceFirst() - 1));
            assertThat(drill.subList(planted.last(), drill.size())).as(v.name())
                    .isEqualTo(reference.subList(planted.referenceLast(), reference.size()));
        }
        assertThat(Planter.reference(DrillPart.ATTENTION)).contains("import dev.dojo.reference.KvCache;",
                "import dev.dojo.reference.Linear;").doesNotContain("import dev.dojo.reference.Attention;");
    }

    @Test
    @DisplayName("a planted line keeps its comment in the reference's column when an accessor becomes the field")
    void commentsKeepTheirColumn() {
        Planted planted = Planter.plant(Variants.named("gqa-tile").orElseThrow());
        String line = planted.source().split("\n")[planted.first() - 1];
        String reference = planted.reference().split("\n")[planted.referenceFirst() - 1];

        assertThat(line).contains("kv.tile(new long[] {1, heads / kvHeads, 1, 1});");
        assertThat(line.indexOf("//")).isEqualTo(reference.indexOf("//"));
    }

    @Test
    @DisplayName("the fix is the planted lines out and the reference's step in, as a diff")
    void fixIsADiff() {
        Planted planted = Planter.plant(Variants.named("softmax-over-queries").orElseThrow());

        assertThat(planted.where()).isEqualTo("Attention.softmax");
        assertThat(planted.fix()).containsExactly(
                "-        return scores.softmax(-2);                                            // (B, H, T, S)",
                "+        return scores.softmax(-1);                                            // (B, H, T, S)");
    }
}
