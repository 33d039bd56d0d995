package dev.dojo.daemon;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The client's side: runs a command in the checkout's daemon, starting one first when none
 * answers (none ever started, it stopped when idle, it died, or it was built differently), and
 * writes what the command writes as it comes.
 */
public final class Remote {
    /** The longest a new daemon may take to answer before the command runs without it. */
    private static final long START_MILLIS = 30_000;
    /** A daemon's log is started afresh once it is this long. */
    private static final long LONGEST_LOG = 1 << 20;

    /** Where ./kata's class-data archive of the CLI is, if it made one. */
    public static final String CLI_ARCHIVE_PROPERTY = "dojo.cli.archive";

    private final Place place;
    private final String mainClass;
    private final String fingerprint;

    /**
     * The client of the checkout at {@code root}; a daemon it starts runs {@code mainClass} on this
     * JVM's Java and class path.
     */
    public Remote(Path root, String mainClass) {
        this.place = Place.of(root);
        this.mainClass = mainClass;
        this.fingerprint = Fingerprint.current();
    }

    /** Why the daemon could not be used; the command then runs in the client's own process. */
    public static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    /**
     * Runs {@code args} in the daemon, writing its output to this process's standard output and
     * error; the exit code. An exception if no daemon could be reached or started, before any
     * of the command ran.
     */
    public int run(List<String> args, boolean colour) throws Unreachable {
        for (int attempt = 0; attempt < 2; attempt++) {
            SocketChannel channel = connect().orElse(null);
            if (channel == null) {
                channel = start();
            }
            OptionalInt code = converse(channel, new Wire.Hello(Wire.Ask.RUN, fingerprint, colour, args));
            if (code.isPresent()) {
                return code.getAsInt();
            }
            // the daemon was built differently and is retiring: start ours
        }
        throw new Unreachable("the daemon kept retiring");
    }

    /** Asks the daemon to stop; false if none was running. */
    public boolean stop() throws IOException {
        Optional<SocketChannel> channel = connect();
        if (channel.isEmpty()) {
            return false;
        }
        try (SocketChannel open = channel.get()) {
            DataOutputStream out = new DataOutputStream(Sockets.out(open));
            new Wire.Hello(Wire.Ask.STOP, fingerprint, false, List.of()).write(out);
            DataInputStream in = new DataInputStream(Sockets.in(open));
            while (Wire.next(in) != null) {
                // the daemon answers, then closes
            }
        }
        return true;
    }

    /** The exit code; empty if the daemon is retiring; an exception if it went away mid-command. */
    private OptionalInt converse(SocketChannel channel, Wire.Hello hello) throws Unreachable {
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        try (channel) {
            hello.write(new DataOutputStream(Sockets.out(channel)));
            DataInputStream in = new DataInputStream(new BufferedInputStream(Sockets.in(channel), 1 << 16));
            boolean said = false;
            for (Wire.Frame frame = Wire.next(in); frame != null; frame = Wire.next(in)) {
                switch (frame.type()) {
                    case Wire.OUT -> {
                        write(stdout, frame.body());
                        said = true;
                    }
                    case Wire.ERR -> {
                        write(stderr, frame.body());
                        said = true;
                    }
                    case Wire.EXIT -> {
                        return OptionalInt.of(frame.code());
                    }
                    case Wire.RETIRED -> {
                        return OptionalInt.empty();
                    }
                    default -> throw new IOException("an unknown frame " + frame.type());
                }
            }
            if (!said) {
                throw new Unreachable("the daemon hung up before the command began");
            }
            write(stderr, ("dojo: the background process stopped before the command finished (./kata stop, or it"
                    + " was killed); run the command again\n").getBytes(StandardCharsets.UTF_8));
            return OptionalInt.of(1);
        } catch (IOException e) {
            throw new Unreachable("the daemon could not be talked to: " + e.getMessage());
        }
    }

    /**
     * Writes to this process's output; an output that is gone (a pipe to {@code head} that
     * closed) loses the rest, as a command run here would, and the command still ends as it ends.
     */
    private static void write(OutputStream stream, byte[] bytes) {
        try {
            stream.write(bytes);
            stream.flush();
        } catch (IOException e) {
            // nobody reads it any more
        }
    }

    private Optional<SocketChannel> connect() {
        if (!Files.exists(place.socket())) {
            return Optional.empty();
        }
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(place.socket()));
                return Optional.of(channel);
            } catch (IOException e) {
                channel.close();
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Starts a daemon and waits until it answers (or another client's does). */
    private SocketChannel start() throws Unreachable {
        Process daemon;
        try {
            place.prepare();
            if (Files.exists(place.log()) && Files.size(place.log()) > LONGEST_LOG) {
                Files.delete(place.log());
            }
            ProcessBuilder builder = new ProcessBuilder(command())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(place.log().toFile()))
                    .redirectErrorStream(true);
            daemon = builder.start();
        } catch (IOException e) {
            throw new Unreachable("cannot start the daemon: " + e.getMessage());
        }
        long deadline = System.currentTimeMillis() + START_MILLIS;
        long gone = -1;
        while (System.currentTimeMillis() < deadline) {
            Optional<SocketChannel> channel = connect();
            if (channel.isPresent()) {
                return channel.get();
            }
            if (!daemon.isAlive()) {
                // it lost the race to another client's daemon, which may still be starting, or it failed
                gone = gone < 0 ? System.currentTimeMillis() : gone;
                if (System.currentTimeMillis() - gone > 5_000) {
                    break;
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        daemon.destroyForcibly();
        throw new Unreachable("the daemon did not start (its log: " + place.log() + ")");
    }

    /**
     * The daemon's command line: this JVM's Java and class path, the forwarded settings, under a
     * shell that makes it immune to the terminal's Ctrl-C and hang-up (and, with setsid, leaves
     * the terminal's session), so that it outlives this client.
     */
    private List<String> command() {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "trap '' INT HUP QUIT TSTP;"
                + " if command -v setsid >/dev/null 2>&1; then exec setsid \"$0\" \"$@\"; fi; exec \"$0\" \"$@\""));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m", "-Xms16m", "-Xmx192m",
                "-Djava.awt.headless=true"));
        String archive = System.getProperty(CLI_ARCHIVE_PROPERTY, "");
        if (!archive.isEmpty() && Files.isRegularFile(Path.of(archive))) {
            // the class-data archive ./kata made of the CLI's classes: the daemon runs the same commands
            command.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds*=off"));
        }
        Fingerprint.forwarded().forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        return command;
    }
}
