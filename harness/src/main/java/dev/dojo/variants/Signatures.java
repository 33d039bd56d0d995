package dev.dojo.variants;

import dev.dojo.diagnosis.SignatureTable;

import java.util.List;

/** The bug classes a diagnosis can name, with the probes each one breaks. */
public final class Signatures {
    private Signatures() {}

    /** The table of known-bad variants' signatures. */
    public static SignatureTable table() {
        return new SignatureTable(List.of());
    }
}
