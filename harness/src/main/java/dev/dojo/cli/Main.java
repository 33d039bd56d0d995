package dev.dojo.cli;

import dev.dojo.worker.Workers;

import java.util.List;
import java.util.Set;

/** The CLI in this process: what {@link Client} runs when no daemon does, and the daemon-less entry point. */
public final class Main {
    private Main() {}

    /** The commands that run a kata's or a drill's code in a one-shot worker, started before anything else. */
    private static final Set<String> RUN_IN_A_WORKER = Set.of("test", "report", "verify", "blind");

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line {@code args} in this process; its exit code. */
    static int run(String[] args) {
        boolean drillTest = args.length > 0 && args[0].equals("drill") && List.of(args).contains("test");
        if (args.length > 0 && RUN_IN_A_WORKER.contains(args[0]) || drillTest) {
            Workers.shared().prestart();    // its JVM starts while this one reads the command line and the kata
        }
        System.setProperty("java.awt.headless", "true");
        Terminal terminal = Terminal.system();
        int exit = Dojo.commandLine(Workspace.fromSystem(), terminal, System.in).execute(args);
        terminal.out().flush();
        return exit;
    }
}
