package dev.dojo.cli;

import dev.dojo.diagnosis.Mode;
import dev.dojo.kata.Kata;
import dev.dojo.tensor.Seeded;
import dev.dojo.worker.Request;
import dev.dojo.worker.Workers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
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
    public Integer call() {
        Kata kata = dojo.kata(slug);
        slug = kata.slug();
        Mode mode = RunOptions.coached(coach, dojo.workspace.progress().entry(slug).hints,
                Briefing.read(kata).hints().size()) ? Mode.COACH : Mode.EVIDENCE;
        Path file = (output != null ? output : dojo.workspace.dojo().resolve("reports").resolve(slug + ".html"))
                .toAbsolutePath();
        // the golden case runs the learner's code: in a worker, which also reads the seed the kata's tests would
        Workers.Answer answer = dojo.workers.report(new Request.Report(kata.kataDir().toString(), kata.golden(),
                slug + " · " + kata.title(), seed, mode == Mode.COACH, file.toString(), mode.property(),
                System.getProperty(Seeded.SEED_PROPERTY), Pairing.timeline(dojo.workspace, slug)),
                dojo.terminal.err()::println);
        if (answer.compileErrors() != null) {
            throw new UserError(slug + " does not compile:\n" + answer.compileErrors().indent(2).stripTrailing(), 1);
        }
        new OutcomePrinter(dojo.terminal, java.time.Duration.ZERO).output(answer.output());
        if (answer.stop() != null) {
            throw new UserError(answer.stop().message(), 1);
        }
        dojo.terminal.out().println("wrote " + (output != null ? output : file));
        return 0;
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
