package dev.dojo.worker;

import ai.djl.ndarray.NDManager;
import dev.dojo.diagnosis.Localization;
import dev.dojo.engine.Engines;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kata.ProbeGate;
import dev.dojo.kit.Kit;
import dev.dojo.probes.Probe;
import dev.dojo.probes.ProbeResult;
import dev.dojo.probes.Probes;
import dev.dojo.report.AttentionMaps;
import dev.dojo.report.HtmlReport;
import dev.dojo.variants.Signatures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The HTML report of a kata's golden case, made in the worker since it runs the learner's code:
 * the comparison, the layer-by-layer trace, the probes and the attention maps, at one seed.
 */
final class ReportJob {
    private ReportJob() {}

    /** Writes the report {@code request} asks for, from the kata compiled in {@code module}; {@code step} hears progress. */
    static void write(Path module, Request.Report request, Consumer<String> step) {
        List<Path> classpath = List.of(module.resolve("target/classes"), module.resolve("target/test-classes"));
        try (URLClassLoader loader = new URLClassLoader(ProbeGate.urls(classpath), ReportJob.class.getClassLoader());
             NDManager manager = Engines.newManager()) {
            GoldenCase golden = ProbeGate.load(loader, request.golden());
            long at = request.seed() != null ? request.seed() : golden.seed();
            HtmlReport report = HtmlReport.of(request.title(), golden.run(manager, at), golden.tolerance()).withSeed(at);
            step.accept("golden case");
            Kit kit = golden.kit();
            if (kit != null) {
                Kit reference = golden.referenceKit();
                List<ProbeResult> results = new ArrayList<>();
                for (Probe probe : Probes.all()) {
                    results.add(probe.run(kit, manager, at));
                    step.accept("probe");
                }
                report = report.withProbes(results)
                        .withLocalization(Localization.run(kit, reference, manager, at,
                                golden.tolerance()));
                step.accept("layer trace");
                report = report.withAttention(AttentionMaps.view(kit, reference, manager, at));
                step.accept("attention maps");
                if (request.coached()) {
                    report = report.withSuggestions(Signatures.table(kit));
                }
            }
            if (request.timeline() != null) {
                report = report.withTimeline(request.timeline());
            }
            report.write(Path.of(request.output()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
