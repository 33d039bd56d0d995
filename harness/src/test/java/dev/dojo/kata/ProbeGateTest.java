package dev.dojo.kata;

import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.probes.ProbeResult;
import dev.dojo.variants.Variants;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeGateTest {

    @Test
    @DisplayName("the reference parts hold every probe that applies, and probes that do not apply are left out")
    void referenceHolds() {
        List<ProbeResult> results = ProbeGate.check(Kit.reference(ModelConfig.tinyPostNorm()), 7, ProbeGate.SEEDS);

        assertThat(results).isNotEmpty().allMatch(ProbeResult::holds);
        assertThat(results).extracting(ProbeResult::probe).doesNotContain("position zero", "relative position")
                .contains("causality", "padding independence");
        assertThat(ProbeGate.failing(results)).isEmpty();
    }

    @Test
    @DisplayName("a part with a known bug fails the gate on the probes its bug breaks, named in one line")
    void knownBugFails() {
        Kit kit = Variants.named("mask-on-query-axis").orElseThrow().kit();

        List<ProbeResult> failing = ProbeGate.failing(ProbeGate.check(kit, 7, ProbeGate.SEEDS));

        assertThat(failing).extracting(ProbeResult::probe).containsExactly("padding independence");
        assertThat(ProbeGate.summary(failing)).isEqualTo("padding independence ✗");
    }

    @Test
    @DisplayName("a component without a kit has no probes to pass")
    void noKit() {
        assertThat(ProbeGate.check((Kit) null, 7, ProbeGate.SEEDS)).isEmpty();
    }
}
