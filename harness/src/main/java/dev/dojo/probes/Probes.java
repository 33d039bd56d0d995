package dev.dojo.probes;

import java.util.List;

/** The catalogue of probes, in the order reports list them. */
public final class Probes {
    private Probes() {}

    /** Every probe, each a fresh instance. */
    public static List<Probe> all() {
        return List.of(new BatchIndependence(), new PaddingIndependence(), new ResidualIdentity(),
                new PositionZero(), new RelativePosition());
    }
}
