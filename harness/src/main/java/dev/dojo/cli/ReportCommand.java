package dev.dojo.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.diagnosis.Localization;
import dev.dojo.diagnosis.Mode;
import dev.dojo.engine.Engines;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kata.Kata;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "report", description = "Write one self-contained HTML page of the failing test's case: the"
        + " comparison, the layer-by-layer trace, error by position, attention maps or values, the probes.")
final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @CommandLine.Parameters(paramLabel = "<slug>", description = "the kata")
    String slug;

    @Option(names = "--seed", paramLabel = "<N>", converter = SeedConverter.class,
            description = "rerun the exact case a failure printed as 'seed: N' (default: the seed the kata's tests run at)")
    Long seed;

    @Option(names = "--coach", description = "also list the known bugs the probe verdicts are consistent with"
            + " (as in coach mode); by default the page shows the evidence only")
    boolean coach;

    @Option(names = {"-o", "--output"}, description = "the file to write (default: .dojo/reports/<slug>.html)")
    Path output;

    @Override
    public Integer call() throws IOException, ReflectiveOperationException {
        Kata kata = dojo.kata(slug);
        slug = kata.slug();
        Path module = kata.kataDir();
        boolean coached = coach || Mode.current() == Mode.COACH
                || dojo.workspace.progress().entry(slug).hints >= Math.max(1, Briefing.read(kata).hints().size());
        try {
            KataCompiler.compileIfStale(module, module.resolve("src/test/java"));
        } catch (KataCompiler.CompileError e) {
            throw new UserError(slug + " does not compile:\n" + e.getMessage().indent(2).stripTrailing(), 1);
        }
        Path file = output != null ? output : dojo.workspace.dojo().resolve("reports").resolve(slug + ".html");
        URL[] classes = {module.resolve("target/classes").toUri().toURL(), module.resolve("target/test-classes").toUri().toURL()};
        try (URLClassLoader loader = new URLClassLoader(classes, ReportCommand.class.getClassLoader());
             NDManager manager = Engines.newManager()) {
            GoldenCase golden = (GoldenCase) Class.forName(kata.golden(), true, loader).getDeclaredConstructor().newInstance();
            long at = seed != null ? seed : golden.seed();
            HtmlReport report = HtmlReport.of(slug + " · " + kata.title(), golden.run(manager, at), golden.tolerance())
                    .withSeed(at);
            Kit kit = golden.kit();
            if (kit != null) {
                List<ProbeResult> results = new ArrayList<>();
                for (Probe probe : Probes.all()) {
                    results.add(probe.run(kit, manager, at));
                }
                report = report.withProbes(results)
                        .withLocalization(Localization.run(kit, Kit.reference(kit.config()), manager, at,
                                golden.tolerance()))
                        .withAttention(attention(kit, manager, at));
                if (coached) {
                    report = report.withSuggestions(Signatures.table(kit));
                }
            }
            report = Pairing.withRetro(report, dojo.workspace, slug);
            report.write(file);
        }
        dojo.terminal.out().println("wrote " + file);
        return 0;
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

    /** A seed as a failure prints it: a whole number, said plainly when it is not one. */
    static final class SeedConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a seed: give the whole number"
                        + " a failure printed after 'seed:', e.g. --seed 7");
            }
        }
    }
}
