package dev.dojo.diagnosis;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignatureTableTest {
    private static final Signature PRE_NORM = new Signature("pre-norm residual misplaced",
            "the residual adds norm(x) instead of x", Set.of("residual identity"));
    private static final Signature QUERY_MASK = new Signature("mask broadcast on the wrong axis",
            "the padding mask is laid along queries", Set.of("padding independence"));
    private static final Signature BATCH_MASK = new Signature("mask broadcast on the wrong axis",
            "the padding mask of sample 0 is used for every sample", Set.of("padding independence", "batch independence"));
    private static final Signature ROPE_FROM_ONE = new Signature("RoPE off by one", "positions count from 1",
            Set.of("position zero"));
    private static final Signature ROPE_PAIRING = new Signature("RoPE pairing", "pairs 2i with 2i+1 for half-split weights",
            Set.of("position zero", "relative position", "kv-cache"));
    private static final SignatureTable TABLE = new SignatureTable(List.of(PRE_NORM, QUERY_MASK, BATCH_MASK,
            ROPE_FROM_ONE, ROPE_PAIRING));
    private static final Set<String> ALL = Set.of("batch independence", "padding independence", "residual identity",
            "position zero", "relative position", "kv-cache");

    private static Set<String> passingExcept(Set<String> failing) {
        return ALL.stream().filter(p -> !failing.contains(p)).collect(java.util.stream.Collectors.toSet());
    }

    @Test
    @DisplayName("an exact match is every signature that agrees with every observed verdict")
    void exact() {
        Set<String> failing = Set.of("padding independence");

        SignatureTable.Match match = TABLE.match(failing, passingExcept(failing));

        assertThat(match.kind()).isEqualTo(SignatureTable.Kind.EXACT);
        assertThat(match.candidates()).extracting(SignatureTable.Candidate::signature).containsExactly(QUERY_MASK);
        assertThat(match.candidates().get(0).distance()).isZero();
    }

    @Test
    @DisplayName("with no exact match, the nearest signatures by Hamming distance, with the probes they disagree on")
    void nearest() {
        Set<String> failing = Set.of("position zero", "relative position");

        SignatureTable.Match match = TABLE.match(failing, passingExcept(failing));

        assertThat(match.kind()).isEqualTo(SignatureTable.Kind.NEAREST);
        assertThat(match.candidates()).extracting(SignatureTable.Candidate::signature)
                .containsExactly(ROPE_FROM_ONE, ROPE_PAIRING);
        assertThat(match.candidates()).extracting(SignatureTable.Candidate::differing)
                .containsExactly(Set.of("relative position"), Set.of("kv-cache"));
    }

    @Test
    @DisplayName("nothing matches when the nearest signature is further than the limit")
    void none() {
        Set<String> failing = Set.of("batch independence", "residual identity", "relative position", "kv-cache");

        SignatureTable.Match match = TABLE.match(failing, passingExcept(failing));

        assertThat(match.kind()).isEqualTo(SignatureTable.Kind.NONE);
        assertThat(match.candidates()).isEmpty();
        assertThat(TABLE.match(failing, passingExcept(failing), 3).kind()).isEqualTo(SignatureTable.Kind.NEAREST);
    }

    @Test
    @DisplayName("nothing matches when no probe was observed or the table is empty")
    void noneWithoutEvidence() {
        assertThat(TABLE.match(Set.of(), Set.of()).kind()).isEqualTo(SignatureTable.Kind.NONE);
        assertThat(new SignatureTable(List.of()).match(Set.of("position zero"), Set.of()).kind())
                .isEqualTo(SignatureTable.Kind.NONE);
    }

    @Test
    @DisplayName("a probe that was not observed does not count against a signature")
    void unobservedProbesAreIgnored() {
        SignatureTable.Match match = TABLE.match(Set.of("position zero"), Set.of("relative position"));

        assertThat(match.kind()).isEqualTo(SignatureTable.Kind.EXACT);
        assertThat(match.candidates()).extracting(SignatureTable.Candidate::signature).containsExactly(ROPE_FROM_ONE);
    }

    @Test
    @DisplayName("lists each family once, in table order")
    void familiesOnce() {
        SignatureTable.Match match = TABLE.match(Set.of("padding independence"), Set.of("position zero"));

        assertThat(match.families()).containsExactly("mask broadcast on the wrong axis");
    }

    @Test
    @DisplayName("a probe cannot be observed both failing and passing")
    void contradiction() {
        assertThatThrownBy(() -> TABLE.match(Set.of("kv-cache"), Set.of("kv-cache")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("probes [kv-cache] cannot both fail and pass");
    }

    @Test
    @DisplayName("a signature none of whose probes was observed is no candidate: its bug could not have shown")
    void unobservableSignature() {
        SignatureTable.Match match = TABLE.match(Set.of(), Set.of("padding independence", "batch independence"));

        assertThat(match.kind()).isEqualTo(SignatureTable.Kind.NEAREST);
        assertThat(match.candidates()).extracting(SignatureTable.Candidate::signature).containsExactly(QUERY_MASK);
        assertThat(TABLE.match(Set.of(), Set.of("kv-cache")).candidates()).extracting(SignatureTable.Candidate::signature)
                .containsExactly(ROPE_PAIRING);
    }
}
