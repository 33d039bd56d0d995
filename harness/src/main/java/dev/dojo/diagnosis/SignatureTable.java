package dev.dojo.diagnosis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Known bugs and the probes each one fails, and the matcher that says which of them an observed
 * set of probe verdicts fits: exactly, else the nearest by Hamming distance, else none. Only the
 * probes that were observed count: a probe that was not run, or was not applicable, says nothing.
 */
public record SignatureTable(List<Signature> signatures) {

    /** Nearest matches further than this many probes apart are not suggested. */
    public static final int MAX_DISTANCE = 2;

    public SignatureTable {
        signatures = List.copyOf(signatures);
    }

    /** How an observation fits the table. */
    public enum Kind {
        /** Some signatures agree with every observed verdict. */
        EXACT,
        /** None agrees exactly; these are the closest, at most {@link #MAX_DISTANCE} verdicts apart. */
        NEAREST,
        /** Nothing was observed, the table is empty, or every signature is too far. */
        NONE
    }

    /** A signature and the observed probes on which it disagrees (empty for an exact match). */
    public record Candidate(Signature signature, Set<String> differing) {
        public Candidate {
            differing = Set.copyOf(differing);
        }

        /** The Hamming distance: how many observed verdicts the signature gets wrong. */
        public int distance() {
            return differing.size();
        }
    }

    /** The kind of fit and the candidates, in table order; none for {@link Kind#NONE}. */
    public record Match(Kind kind, List<Candidate> candidates) {
        public Match {
            candidates = List.copyOf(candidates);
        }

        /** The candidates' families, each once, in table order. */
        public List<String> families() {
            return candidates.stream().map(c -> c.signature().family()).distinct().toList();
        }
    }

    /** As {@link #match(Set, Set, int)} with the default {@link #MAX_DISTANCE}. */
    public Match match(Set<String> failing, Set<String> passing) {
        return match(failing, passing, MAX_DISTANCE);
    }

    /**
     * The signatures that agree with every observed verdict; if none does, those with the fewest
     * disagreements, provided that is at most {@code maxDistance}. A probe in neither set is ignored, and
     * so is a signature none of whose probes was observed (its bug could not have shown).
     */
    public Match match(Set<String> failing, Set<String> passing, int maxDistance) {
        Set<String> both = new TreeSet<>(failing);
        both.retainAll(passing);
        if (!both.isEmpty()) {
            throw new IllegalArgumentException("probes " + both + " cannot both fail and pass");
        }
        Set<String> observed = new LinkedHashSet<>(failing);
        observed.addAll(passing);
        if (observed.isEmpty() || signatures.isEmpty()) {
            return new Match(Kind.NONE, List.of());
        }
        List<Candidate> all = new ArrayList<>();
        for (Signature s : signatures) {
            if (s.failing().stream().noneMatch(observed::contains)) {
                continue;     // none of the probes that see this bug was observed: the verdicts say nothing of it
            }
            Set<String> differing = new TreeSet<>();
            for (String probe : observed) {
                if (s.failing().contains(probe) != failing.contains(probe)) {
                    differing.add(probe);
                }
            }
            all.add(new Candidate(s, differing));
        }
        if (all.isEmpty()) {
            return new Match(Kind.NONE, List.of());
        }
        int nearest = all.stream().mapToInt(Candidate::distance).min().orElseThrow();
        if (nearest > maxDistance) {
            return new Match(Kind.NONE, List.of());
        }
        return new Match(nearest == 0 ? Kind.EXACT : Kind.NEAREST,
                all.stream().filter(c -> c.distance() == nearest).toList());
    }
}
