package dev.dojo.cli;

import dev.dojo.daemon.Fingerprint;
import dev.dojo.daemon.Place;
import dev.dojo.daemon.Server;
import dev.dojo.worker.Workers;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The daemon a {@link Client} starts: one per checkout, it keeps a worker warm (and one spare)
 * between {@code ./kata} calls and runs the clients' commands with them; it stops after
 * {@link #IDLE} without a command, and on {@code ./kata stop}. It runs none of the learner's code
 * itself: that runs in the workers, as ever.
 */
public final class DaemonMain {
    /** How long the daemon waits for a command before it stops. */
    static final Duration IDLE = Duration.ofMinutes(30);
    /** A hidden knob for tests: the idle time in seconds. */
    static final String IDLE_PROPERTY = "dojo.daemon.idle";

    private DaemonMain() {}

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Workers workers = Workers.forDaemon();
        Path root = Workspace.fromSystem().root();
        Duration idle = Duration.ofSeconds(Long.getLong(IDLE_PROPERTY, IDLE.toSeconds()));
        Server.serve(Place.of(root), Fingerprint.current(), idle, new Server.Commands() {
            @Override
            public int run(List<String> line, boolean colour, PrintStream out, PrintStream err) {
                Terminal terminal = new Terminal(out, err, colour);
                return Dojo.commandLine(new Workspace(root), terminal, InputStream.nullInputStream(), workers)
                        .execute(line.toArray(String[]::new));
            }

            @Override
            public void started() {
                workers.keepSpare();    // warm for the next call, while the pair reads the result of the one before
            }

            @Override
            public void after() {
                workers.keepSpare();
            }

            @Override
            public void stop() {
                workers.close();
            }
        });
        System.exit(0);
    }
}
