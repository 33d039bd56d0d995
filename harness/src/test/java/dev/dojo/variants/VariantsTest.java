package dev.dojo.variants;

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
                "numerical stability");
    }

    @Test
    @DisplayName("a variant is found by name, and an unknown name finds none")
    void named() {
        assertThat(Variants.named("gqa-tile")).map(Variant::family).contains("GQA grouping");
        assertThat(Variants.named("no-such-bug")).isEmpty();
    }
}
