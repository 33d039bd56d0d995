package dev.dojo.variants;

import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VariantsTest {

    @Test
    @DisplayName("the catalogue has at least 15 variants with distinct names, each its kit's name")
    void catalogue() {
        List<Variant> all = Variants.all();

        assertThat(all).hasSizeGreaterThanOrEqualTo(15);
        assertThat(all).extracting(Variant::name).doesNotHaveDuplicates();
        assertThat(all).allSatisfy(v -> assertThat(v.kit().name()).isEqualTo(v.name()));
    }

    @Test
    @DisplayName("the variants cover the bug families of the design")
    void families() {
        assertThat(Variants.all()).extracting(Variant::family).contains("residual placement",
                "mask broadcast on the wrong axis", "causal mask", "softmax axis", "RoPE positions", "KV cache offset",
                "GQA grouping", "head split and merge", "norm over the wrong axis", "norm statistics", "gradient flow",
                "numerical stability", "mask and softmax order", "sliding window", "rolling buffer", "online softmax",
                "cross-attention wiring");
    }

    @Test
    @DisplayName("a variant is found by name, and an unknown name finds none")
    void named() {
        assertThat(Variants.named("gqa-tile")).map(Variant::family).contains("GQA grouping");
        assertThat(Variants.named("no-such-bug")).isEmpty();
    }

    @Test
    @DisplayName("each variant replaces exactly one part of the reference kit")
    void onePartEach() {
        assertThat(Variants.all()).allSatisfy(v -> assertThat(v.kit().replaced()).as(v.name()).hasSize(1));
        assertThat(Kit.reference().isReference()).isTrue();
    }

    @Test
    @DisplayName("a component's bug classes are those of the part it replaces, in a model that can have them")
    void applicable() {
        Kit layerNormEncoderBlock = Kit.reference(ModelConfig.tinyPreNormEncoder())
                .withBlock((placement, n1, attention, n2, ff) -> null);
        Kit multiHeadAttentionWithoutRope = Kit.reference(ModelConfig.tinyPreNormEncoder())
                .withAttention((q, k, v, o, heads, kvHeads, rope) -> null);
        Kit llamaAttention = Kit.reference(ModelConfig.tinyLlama())
                .withAttention((q, k, v, o, heads, kvHeads, rope) -> null);

        assertThat(Variants.applicableTo(layerNormEncoderBlock)).extracting(Variant::name)
                .containsExactly("prenorm-residual-from-norm");
        assertThat(Variants.applicableTo(multiHeadAttentionWithoutRope)).extracting(Variant::name)
                .contains("mask-on-query-axis", "causal-mask-missing", "softmax-over-queries")
                .doesNotContain("gqa-tile", "rope-offset-queries-only", "cache-keys-before-rope", "rope-from-one",
                        "layernorm-over-sequence");
        assertThat(Variants.applicableTo(llamaAttention)).extracting(Variant::name)
                .contains("gqa-tile", "rope-offset-queries-only", "mask-on-query-axis");
        assertThat(Variants.applicableTo(Kit.reference())).isEmpty();
    }

    @Test
    @DisplayName("window, rolling-buffer, online-softmax and cross-attention bugs apply only to a component that can have them")
    void applicableToTheNewParts() {
        Kit windowedAttention = Kit.reference(ModelConfig.tinyMistral())
                .withAttention((q, k, v, o, heads, kvHeads, rope) -> null);
        Kit rollingCache = Kit.reference(ModelConfig.tinyMistral()).withRollingCache(window -> null);
        Kit tiledAttention = Kit.reference(ModelConfig.tinyLlama())
                .withTiledAttention((q, k, v, o, heads, kvHeads, rope, tile) -> null);
        Kit decoderBlock = Kit.reference(ModelConfig.tinyEncoderDecoder())
                .withDecoderBlock((placement, n1, self, n2, cross, n3, ff) -> null);
        Kit llamaAttention = Kit.reference(ModelConfig.tinyLlama())
                .withAttention((q, k, v, o, heads, kvHeads, rope) -> null);

        assertThat(Variants.applicableTo(windowedAttention)).extracting(Variant::name)
                .contains("window-one-too-wide", "window-wrong-side", "mask-after-softmax");
        assertThat(Variants.applicableTo(llamaAttention)).extracting(Variant::name)
                .contains("mask-after-softmax").doesNotContain("window-one-too-wide", "window-wrong-side");
        assertThat(Variants.applicableTo(rollingCache)).extracting(Variant::name)
                .containsExactly("rolling-write-slot", "rolling-read-unrotated");
        assertThat(Variants.applicableTo(tiledAttention)).extracting(Variant::name)
                .containsExactly("online-softmax-sum-unscaled", "online-softmax-accumulator-unscaled");
        assertThat(Variants.applicableTo(decoderBlock)).extracting(Variant::name)
                .containsExactly("cross-attention-on-decoder-stream", "cross-attention-target-padding");
    }

    @Test
    @DisplayName("a component's signature table holds only the bug classes that can be in it")
    void signaturesForAKit() {
        Kit rotary = Kit.reference(ModelConfig.tinyLlama()).withRotary((headSize, theta) -> null);

        assertThat(Signatures.table(rotary).signatures()).extracting(s -> s.family())
                .containsOnly("RoPE positions", "RoPE pairing");
        assertThat(Signatures.table().signatures()).hasSize(Variants.all().size());
    }
}
