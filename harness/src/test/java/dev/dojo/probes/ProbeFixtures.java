package dev.dojo.probes;

import dev.dojo.reference.RopePairing;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.params.provider.Arguments;

import java.util.stream.LongStream;
import java.util.stream.Stream;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the probe tests share: the seeds they hold over, padding lengths, and how a failing probe must read. */
final class ProbeFixtures {
    private ProbeFixtures() {}

    /** Both RoPE pairings, each with seeds 1 to 5. */
    static Stream<Arguments> pairingsAndSeeds() {
        return Stream.of(RopePairing.values())
                .flatMap(pairing -> LongStream.rangeClosed(1, 5).mapToObj(seed -> Arguments.of(pairing, seed)));
    }

    /** One length per item in 1..tokens, the first item always full, so one item has no pads and the others may. */
    static long[] lengths(Seeded seeded, int batch, int tokens) {
        long[] lengths = new long[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = b == 0 ? tokens : 1 + seeded.stream("lengths." + b).nextLong(tokens - 1);
        }
        return lengths;
    }

    /**
     * The probe fails; its report opens with {@code opening} (the probe's name and property, then the
     * evidence's header), carries the evidence and the seed; and asserting it holds throws that report.
     */
    static void assertFailsNaming(ProbeResult result, String opening) {
        org.assertj.core.api.Assertions.assertThat(result.holds()).isFalse();
        org.assertj.core.api.Assertions.assertThat(result.report()).startsWith(opening)
                .contains("\n    mismatched: ", "\n    worst: ", "\n    seed: " + result.seed());
        assertThatThrownBy(() -> assertThat(result).holds()).isInstanceOf(AssertionError.class)
                .hasMessage(result.report());
    }
}
