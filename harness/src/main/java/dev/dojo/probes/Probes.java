package dev.dojo.probes;

import java.util.List;

/**
 * The catalogue of probes, in the order reports list them: masks and batches first (what the
 * block may see, and what each query's weights are), then the caches, the residual path, heads,
 * positions, norms, gradients and numerics.
 */
public final class Probes {
    private Probes() {}

    /** Every probe, each a fresh instance. */
    public static List<Probe> all() {
        return List.of(new BatchIndependence(), new PaddingIndependence(), new MemoryPaddingIndependence(),
                new Causality(), new CausalJacobian(), new DecoderCausality(), new RowSums(), new SlidingWindow(),
                new KvCacheEquivalence(), new RollingBufferEquivalence(), new ResidualIdentity(), new HeadIndependence(),
                new GroupedQueryConsistency(), new PermutationEquivariance(), new PositionZero(), new RelativePosition(),
                new ScaleInvariance(), new ShiftInvariance(), new GradientFlow(), new TilingInvariance(),
                new Stability());
    }
}
