package dev.dojo.drills;

import ai.djl.ndarray.NDManager;
import dev.dojo.diagnosis.Localization;
import dev.dojo.engine.Engines;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kit.Kit;
import dev.dojo.probes.Probe;
import dev.dojo.probes.ProbeResult;
import dev.dojo.probes.Probes;
import dev.dojo.report.AttentionMaps;
import dev.dojo.report.HtmlReport;
import dev.dojo.report.Timeline;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A drill's page, as {@code ./kata report} writes a kata's: its first case against the reference,
 * the probes, the layer-by-layer trace, attention maps for a part inside attention, and the
 * session's timeline. Evidence only: no bug class is suggested.
 */
public final class DrillReport {
    private DrillReport() {}

    /**
     * Compiles the drill as it stands and writes its page to {@code file}; the timeline may be null.
     *
     * @throws IllegalStateException when the drill's sources do not compile, with the errors
     */
    public static Path write(DrillWorkspace workspace, Timeline timeline, Path file) throws IOException {
        Path classes = workspace.compile();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                DrillReport.class.getClassLoader());
             NDManager manager = Engines.newManager()) {
            GoldenCase golden;
            try {
                golden = (GoldenCase) Class.forName(DrillWorkspace.CASE, true, loader).getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("the drill's case cannot be made: " + e, e);
            }
            long seed = golden.seed();
            Kit kit = golden.kit();
            List<ProbeResult> results = new ArrayList<>();
            for (Probe probe : Probes.all()) {
                results.add(probe.run(kit, manager, seed));
            }
            HtmlReport report = HtmlReport.of("Drill " + workspace.drill().id(), golden.run(manager, seed),
                            golden.tolerance()).withSeed(seed).withProbes(results)
                    .withLocalization(Localization.run(kit, golden.referenceKit(), manager, seed, golden.tolerance()));
            DrillPart part = workspace.drill().part();
            if (part == DrillPart.ATTENTION || part == DrillPart.ROTARY) {
                try {
                    report = report.withAttention(AttentionMaps.view(kit, golden.referenceKit(), manager, seed));
                } catch (RuntimeException e) {
                    // a part that throws has no maps to show; the comparison and the probes say so
                }
            }
            if (timeline != null) {
                report = report.withTimeline(timeline);
            }
            return report.write(file);
        }
    }
}
