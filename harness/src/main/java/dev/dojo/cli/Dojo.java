package dev.dojo.cli;

import dev.dojo.engine.Engines;
import dev.dojo.kata.Kata;
import dev.dojo.worker.Workers;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** The {@code ./kata} command. Exit codes: 0 ok, 1 tests failed or did not compile, 2 bad input, 3 no engine. */
@Command(name = "kata", mixinStandardHelpOptions = true, version = "Divergence Dojo 0.1",
        description = "Bug-hunt katas for transformer code: run one, read where it diverges, fix it.",
        subcommands = {ListCommand.class, StartCommand.class, TestCommand.class, WatchCommand.class,
                HintCommand.class, SolutionCommand.class, ResetCommand.class, VerifyCommand.class,
                ProgressCommand.class, ProbesCommand.class, ReportCommand.class, CatalogueCommand.class,
                BlindCommand.class, DrillCommand.class, GuessCommand.class, GiveUpCommand.class, RetroCommand.class,
                StopCommand.class,
                CommandLine.HelpCommand.class})
final class Dojo implements Runnable {
    @picocli.CommandLine.Option(names = Client.NO_DAEMON, description = "run in this process, without the background"
            + " process that keeps a worker warm between calls (also: DOJO_NO_DAEMON=1)")
    boolean noDaemon;

    /** The commands that start the PyTorch engine, in this process or a worker. */
    private static final Set<String> ENGINE_COMMANDS = Set.of("test", "watch", "report", "verify", "probes");

    final Workspace workspace;
    final Terminal terminal;
    final InputStream in;
    /** The workers that run the learner's code: this process's own, or the daemon's warm ones. */
    final Workers workers;

    Dojo(Workspace workspace, Terminal terminal, InputStream in, Workers workers) {
        this.workspace = workspace;
        this.terminal = terminal;
        this.in = in;
        this.workers = workers;
    }

    /**
     * The kata called {@code slug}, or the one that used to be called so, with a one-line notice of
     * its new name; an error listing the known katas if there is neither.
     */
    Kata kata(String slug) {
        if (slug != null && !slug.contains("/") && !slug.contains("\\") && !slug.startsWith(".")
                && Kata.slugs(workspace.root()).contains(slug)) {
            return workspace.kata(slug);
        }
        java.util.Optional<Kata> renamed = slug == null ? java.util.Optional.empty()
                : Kata.formerlyCalled(workspace.root(), slug);
        if (renamed.isPresent()) {
            terminal.err().println("dojo: kata '" + Terminal.printable(slug) + "' is now called '" + renamed.get().slug() + "'");
            return renamed.get();
        }
        return workspace.kata(slug);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(terminal.out());
    }

    /**
     * The command line with the dojo's handling of errors: a one-line message and an exit code, never
     * a stack trace, and never a control character from the user's input echoed raw. What the user or
     * their machine caused (a wrong argument, an unknown kata, a folder that cannot be written, a
     * missing or unwritable engine cache) is said as such; only a fault of the dojo's own is an
     * internal error (exit 70).
     */
    static CommandLine commandLine(Workspace workspace, Terminal terminal, InputStream in) {
        return commandLine(workspace, terminal, in, Workers.shared());
    }

    /** The command line, its learner's code run by {@code workers}. */
    static CommandLine commandLine(Workspace workspace, Terminal terminal, InputStream in, Workers workers) {
        Notices notices = new Notices(terminal.err());
        CommandLine cl = new CommandLine(new Dojo(workspace.withNotices(notices), terminal, in, workers));
        cl.setOut(new PrintWriter(terminal.out(), true));
        cl.setErr(new PrintWriter(terminal.err(), true));
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(terminal.colour()
                ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        cl.setParameterExceptionHandler((e, args) -> {
            terminal.err().println("dojo: " + Terminal.printable(e.getMessage()));
            ByteArrayOutputStream suggestions = new ByteArrayOutputStream();
            CommandLine.UnmatchedArgumentException.printSuggestions(e,
                    new PrintStream(suggestions, true, StandardCharsets.UTF_8));
            suggestions.toString(StandardCharsets.UTF_8).lines()
                    .forEach(line -> terminal.err().println(Terminal.printable(line)));
            terminal.err().println("Run ./kata --help for the commands.");
            return 2;
        });
        cl.setExecutionStrategy(parsed -> {
            if (usesTheEngine(parsed)) {
                try {
                    Engines.checkCache();
                } catch (Engines.MissingNativeLibraryException e) {
                    terminal.err().println("dojo: " + Terminal.printable(e.getMessage()));
                    return 3;
                }
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof UserError user) {
                terminal.err().println("dojo: " + Terminal.printable(user.getMessage()));
                return user.exitCode();
            }
            if (e instanceof Engines.MissingNativeLibraryException) {
                terminal.err().println("dojo: " + Terminal.printable(e.getMessage()));
                return 3;
            }
            if (e instanceof IOException || e instanceof UncheckedIOException) {
                IOException io = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e;
                terminal.err().println("dojo: " + Terminal.printable(FileTrouble.describe(io, e.getMessage())));
                return 2;
            }
            if (e instanceof IllegalArgumentException) {
                terminal.err().println("dojo: " + Terminal.printable(e.getMessage()));
                return 2;
            }
            terminal.err().println("dojo: internal error, please report it: " + Terminal.printable(e.toString()));
            return 70;
        });
        return cl;
    }

    private static boolean usesTheEngine(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult sub = parsed.subcommand();
        return sub != null && ENGINE_COMMANDS.contains(sub.commandSpec().name())
                && !sub.isUsageHelpRequested() && !sub.isVersionHelpRequested();
    }
}
