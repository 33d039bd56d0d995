package dev.dojo.worker;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.diagnosis.Localization;
import dev.dojo.engine.Engines;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.probes.Probe;
import dev.dojo.probes.ProbeResult;
import dev.dojo.probes.Probes;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Parameters;
import dev.dojo.report.AttentionMaps;
import dev.dojo.report.AttentionView;
import dev.dojo.report.AttentionWeights;
import dev.dojo.report.HtmlReport;
import dev.dojo.tensor.Seeded;
import dev.dojo.variants.Signatures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
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
        URL[] classes = {url(module.resolve("target/classes")), url(module.resolve("target/test-classes"))};
        try (URLClassLoader loader = new URLClassLoader(classes, ReportJob.class.getClassLoader());
             NDManager manager = Engines.newManager()) {
            GoldenCase golden = (GoldenCase) Class.forName(request.golden(), true, loader).getDeclaredConstructor()
                    .newInstance();
            long at = request.seed() != null ? request.seed() : golden.seed();
            HtmlReport report = HtmlReport.of(request.title(), golden.run(manager, at), golden.tolerance()).withSeed(at);
            step.accept("golden case");
            Kit kit = golden.kit();
            if (kit != null) {
                List<ProbeResult> results = new ArrayList<>();
                for (Probe probe : Probes.all()) {
                    results.add(probe.run(kit, manager, at));
                    step.accept("probe");
                }
                report = report.withProbes(results)
                        .withLocalization(Localization.run(kit, Kit.reference(kit.config()), manager, at,
                                golden.tolerance()));
                step.accept("layer trace");
                report = report.withAttention(attention(kit, manager, at));
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
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("golden case " + request.golden() + " cannot be made: " + e, e);
        }
    }

    /**
     * The attention maps of the kit's attention and the reference's, on a padded batch with the
     * same weights, read out of the black-box attention by {@link AttentionMaps}.
     */
    private static AttentionView attention(Kit kit, NDManager manager, long seed) {
        ModelConfig c = kit.config();
        Seeded seeded = Seeded.of(manager, seed);
        Parameters p = c.layerParameters(seeded, "").under("self_attn");
        long tokens = Math.min(7, c.width());
        NDArray x = seeded.normal("report.x", 1, 2, tokens, c.width());
        AttentionMask mask = AttentionMask.padding(seeded.rightPadding(tokens, tokens, Math.max(1, tokens - 3)));
        Linear q = Linear.from(p.under("q_proj"));
        Linear k = Linear.from(p.under("k_proj"));
        NDArray learner = AttentionMaps.extract(kit.attention(), q, k, c.heads(), c.kvHeads(), kit.rotary(c), x, mask);
        Kit reference = Kit.reference(c);
        NDArray expected = AttentionMaps.extract(reference.attention(), q, k, c.heads(), c.kvHeads(),
                reference.rotary(c), x, mask);
        return AttentionView.of(AttentionWeights.of(expected), AttentionWeights.of(learner), mask);
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(path + " is not a class path entry", e);
        }
    }
}
