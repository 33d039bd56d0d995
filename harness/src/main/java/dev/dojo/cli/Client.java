package dev.dojo.cli;

import dev.dojo.daemon.Remote;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What {@code ./kata} starts: a small client that hands the commands that run often to the
 * checkout's daemon, which keeps a worker warm between calls, and runs the rest itself, as
 * {@link Main}. When no daemon answers, the command runs here as it would without one, and a
 * daemon is started after it, for the next calls. {@code --no-daemon} (or DOJO_NO_DAEMON in the
 * environment) runs everything here and starts none; so does Windows.
 */
public final class Client {
    /**
     * The commands the daemon runs: the quick ones a pair runs again and again, and the drills'
     * but {@code drill watch}. Watch is a long-lived process of its own; the others read the
     * keyboard, run git, or start the engine in the CLI's own process.
     */
    static final Set<String> IN_THE_DAEMON = Set.of("test", "report", "verify", "list", "hint", "progress", "start",
            "blind", "drill");
    static final String NO_DAEMON = "--no-daemon";

    private Client() {}

    public static void main(String[] args) {
        List<String> line = new ArrayList<>(List.of(args));
        boolean asked = line.removeIf(NO_DAEMON::equals);
        String noDaemon = System.getenv("DOJO_NO_DAEMON");
        boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("win");
        if (asked || (noDaemon != null && !noDaemon.isEmpty()) || windows
                || line.isEmpty() || !IN_THE_DAEMON.contains(line.get(0)) || line.contains("watch")) {
            Main.main(line.toArray(String[]::new));
            return;
        }
        Remote remote = new Remote(Workspace.fromSystem().root(), DaemonMain.class.getName());
        OptionalInt answered = remote.tryRun(line, colour());
        if (answered.isPresent()) {
            System.exit(answered.getAsInt());
        }
        // none answered: this call runs here, as fast as ever, and a daemon starts for the next ones
        int code = Main.run(line.toArray(String[]::new));
        try {
            if (!remote.declined()) {
                remote.startInBackground(line);
            }
        } catch (Remote.Unreachable e) {
            System.err.println("dojo: " + Terminal.printable(e.getMessage()) + "; the next call runs without it too");
        }
        System.exit(code);
    }

    /** Colour as {@link Terminal#system()} decides it, for the daemon to use on this client's output. */
    private static boolean colour() {
        String noColor = System.getenv("NO_COLOR");
        String term = System.getenv("TERM");
        return System.console() != null && (noColor == null || noColor.isEmpty()) && term != null && !term.equals("dumb");
    }
}
