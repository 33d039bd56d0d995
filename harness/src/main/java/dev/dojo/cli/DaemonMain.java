package dev.dojo.cli;

import dev.dojo.daemon.Fingerprint;
import dev.dojo.daemon.Place;
import dev.dojo.daemon.Server;
import dev.dojo.kata.Kata;
import dev.dojo.worker.Request;
import dev.dojo.worker.Workers;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

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

    /** The commands whose kata the next run is likely to be of. */
    private static final Set<String> REHEARSED = Set.of("test", "report", "start", "hint");

    private DaemonMain() {}

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Workers workers = Workers.forDaemon();
        Path root = Workspace.fromSystem().root();
        Duration idle = Duration.ofSeconds(Long.getLong(IDLE_PROPERTY, IDLE.toSeconds()));
        Server.serve(Place.of(root), Fingerprint.current(), idle, new Server.Commands() {
            /** What the next spare rehearses: the kata of the last command that named one. */
            private volatile Request.Rehearsal rehearsal = rehearsal(root, List.of(args));

            @Override
            public int run(List<String> line, boolean colour, PrintStream out, PrintStream err) {
                Request.Rehearsal named = rehearsal(root, line);
                if (named != null) {
                    rehearsal = named;
                }
                Terminal terminal = new Terminal(out, err, colour);
                return Dojo.commandLine(new Workspace(root), terminal, InputStream.nullInputStream(), workers)
                        .execute(line.toArray(String[]::new));
            }

            @Override
            public void started() {
                workers.keepSpare(rehearsal);   // warm for the next call, while the pair reads the result of the one before
            }

            @Override
            public void after() {
                workers.keepSpare(rehearsal);
            }

            @Override
            public void stop() {
                workers.close();
            }
        });
        System.exit(0);
    }

    /**
     * The rehearsal for the kata a command line names ({@code test SLUG}, {@code report SLUG},
     * {@code start SLUG}, ...): its tests on its solution; null if it names none with a solution.
     */
    static Request.Rehearsal rehearsal(Path root, List<String> line) {
        if (line.size() < 2 || !REHEARSED.contains(line.get(0)) || !Kata.slugs(root).contains(line.get(1))) {
            return null;
        }
        Kata kata = Kata.read(root, line.get(1));
        return Files.isDirectory(kata.solutionDir())
                ? new Request.Rehearsal(kata.kataDir().toString(), kata.golden(), kata.solutionDir().toString()) : null;
    }
}
