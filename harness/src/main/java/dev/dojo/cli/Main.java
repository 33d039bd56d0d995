package dev.dojo.cli;

/** Entry point of {@code ./kata} and {@code kata.cmd}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Terminal terminal = Terminal.system();
        int exit = Dojo.commandLine(Workspace.fromSystem(), terminal, System.in).execute(args);
        terminal.out().flush();
        System.exit(exit);
    }
}
