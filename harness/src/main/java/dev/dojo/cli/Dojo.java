package dev.dojo.cli;

import dev.dojo.engine.Engines;
import dev.dojo.kata.Kata;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.InputStream;

/** The {@code ./kata} command. Exit codes: 0 ok, 1 tests failed or did not compile, 2 bad input, 3 no engine. */
@Command(name = "kata", mixinStandardHelpOptions = true, version = "Divergence Dojo 0.1",
        description = "Bug-hunt katas for transformer code: run one, read where it diverges, fix it.",
        subcommands = {ListCommand.class, StartCommand.class, TestCommand.class, WatchCommand.class,
                HintCommand.class, SolutionCommand.class, ResetCommand.class, VerifyCommand.class,
                ProgressCommand.class, ProbesCommand.class, ReportCommand.class, CatalogueCommand.class,
                BlindCommand.class, DrillCommand.class, GuessCommand.class, GiveUpCommand.class, RetroCommand.class,
                CommandLine.HelpCommand.class})
final class Dojo implements Runnable {
    final Workspace workspace;
    final Terminal terminal;
    final InputStream in;

    Dojo(Workspace workspace, Terminal terminal, InputStream in) {
        this.workspace = workspace;
        this.terminal = terminal;
        this.in = in;
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
            terminal.err().println("dojo: kata '" + slug + "' is now called '" + renamed.get().slug() + "'");
            return renamed.get();
        }
        return workspace.kata(slug);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(terminal.out());
    }

    /** The command line with the dojo's handling of errors: a one-line message and an exit code, never a stack trace. */
    static CommandLine commandLine(Workspace workspace, Terminal terminal, InputStream in) {
        CommandLine cl = new CommandLine(new Dojo(workspace, terminal, in));
        cl.setOut(new java.io.PrintWriter(terminal.out(), true));
        cl.setErr(new java.io.PrintWriter(terminal.err(), true));
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(terminal.colour()
                ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        cl.setParameterExceptionHandler((e, args) -> {
            terminal.err().println("dojo: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, terminal.err());
            terminal.err().println("Run ./kata --help for the commands.");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof UserError user) {
                terminal.err().println("dojo: " + user.getMessage());
                return user.exitCode();
            }
            if (e instanceof Engines.MissingNativeLibraryException) {
                terminal.err().println("dojo: " + e.getMessage());
                return 3;
            }
            if (e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException) {
                terminal.err().println("dojo: " + e.getMessage());
                return 2;
            }
            terminal.err().println("dojo: internal error, please report it: " + e);
            return 70;
        });
        return cl;
    }
}
