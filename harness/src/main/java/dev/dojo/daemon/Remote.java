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
import java.util.concurrent.TimeUnit;

/**
 * The client's side: runs a command in the checkout's daemon when one of this build answers,
 * writing what the command writes as it comes; and starts a daemon, for the calls to come, when
 * none did.
 */
public final class Remote {
    /** A daemon's log is started afresh once it is this long. */
    private static final long LONGEST_LOG = 1 << 20;

    /** Where ./kata's class-data archive of the CLI is, if it made one. */
    public static final String CLI_ARCHIVE_PROPERTY = "dojo.cli.archive";

    private final Place place;
    private final String mainClass;
    private String fingerprint;
    private boolean declined;

    /**
     * The client of the checkout at {@code root}; a daemon it starts runs {@code mainClass} on this
     * JVM's Java and class path.
     */
    public Remote(Path root, String mainClass) {
        this.place = Place.of(root);
        this.mainClass = mainClass;
    }

    /**
     * Whether the daemon that answered declined the command, as it does for a client in another
     * working folder than its own: the command runs here, and no other daemon is wanted.
     */
    public boolean declined() {
        return declined;
    }

    /** This client's fingerprint, worked out when a daemon answers (a first call needs none). */
    private String fingerprint() {
        if (fingerprint == null) {
            fingerprint = Fingerprint.current();
        }
        return fingerprint;
    }

    /** Why the daemon could not be used; the command then runs in the client's own process. */
    public static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    /**
     * Runs {@code args} in the daemon if one of this build is listening, writing its output to
     * this process's standard output and error; the exit code, or empty if none answers (none was
     * started, it stopped when idle, it died, or it was built differently and is retiring).
     */
    public OptionalInt tryRun(List<String> args, boolean colour) {
        Optional<SocketChannel> channel = connect();
        if (channel.isEmpty()) {
            return OptionalInt.empty();
        }
        return converse(channel.get(), new Wire.Hello(Wire.Ask.RUN, fingerprint(), System.getProperty("user.dir"), colour, args));
    }

    /** Asks the daemon to stop; false if none was running. */
    public boolean stop() throws IOException {
        Optional<SocketChannel> channel = connect();
        if (channel.isEmpty()) {
            return false;
        }
        try (SocketChannel open = channel.get()) {
            DataOutputStream out = new DataOutputStream(Sockets.out(open));
            new Wire.Hello(Wire.Ask.STOP, fingerprint(), System.getProperty("user.dir"), false, List.of()).write(out);
            DataInputStream in = new DataInputStream(Sockets.in(open));
            while (Wire.next(in) != null) {
                // the daemon answers, then closes
            }
        }
        return true;
    }

    /**
     * The exit code; empty if the daemon is retiring, or went away before the command began (the
     * command then runs here). One that goes away during the command is said, and the command is
     * not run again: it may have done part of its work.
     */
    private OptionalInt converse(SocketChannel channel, Wire.Hello hello) {
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        boolean said = false;
        try (channel) {
            hello.write(new DataOutputStream(Sockets.out(channel)));
            DataInputStream in = new DataInputStream(new BufferedInputStream(Sockets.in(channel), 1 << 16));
            for (Wire.Frame frame = Wire.next(in); frame != null; frame = Wire.next(in)) {
                switch (frame.type()) {
                    case Wire.OUT -> write(stdout, frame.body());
                    case Wire.ERR -> write(stderr, frame.body());
                    case Wire.EXIT -> {
                        return OptionalInt.of(frame.code());
                    }
                    case Wire.RETIRED -> {
                        return OptionalInt.empty();
                    }
                    case Wire.DECLINED -> {
                        declined = true;
                        return OptionalInt.empty();
                    }
                    default -> throw new IOException("an unknown frame " + frame.type());
                }
                said = true;
            }
        } catch (IOException e) {
            // the daemon went away: below
        }
        if (!said) {
            return OptionalInt.empty();
        }
        write(stderr, ("dojo: the background process stopped before the command finished (./kata stop, or it was"
                + " killed); run the command again\n").getBytes(StandardCharsets.UTF_8));
        return OptionalInt.of(1);
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

    /**
     * Starts a daemon for the calls to come and returns at once: called after a command ran here,
     * so that the daemon and its warm worker start while the pair reads the result, not while
     * the command runs. A daemon that loses the race to another client's goes away by itself.
     * {@code line} is the command line that ran: its kata is the one the daemon warms up with.
     */
    public void startInBackground(List<String> line) throws Unreachable {
        try {
            place.prepare();
            if (Files.exists(place.log()) && Files.size(place.log()) > LONGEST_LOG) {
                Files.delete(place.log());
            }
            List<String> command = command();
            command.addAll(line);                      // the daemon warms its first spare for the kata it names
            new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(place.log().toFile()))
                    .redirectErrorStream(true)
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new Unreachable("cannot start the background process: " + e.getMessage());
        }
    }

    /**
     * The daemon's command line: this JVM's Java and class path, the forwarded settings, under a
     * shell that makes it immune to the terminal's Ctrl-C and hang-up (and, with setsid, leaves
     * the terminal's session), so that it outlives this client, and that waits a second first:
     * started at once, the daemon and its spare slowed this client's own exit.
     */
    private List<String> command() {
        // in a subshell left running in the background, so that the shell this JVM waits for ends at
        // once: a JVM exits ~0.3 s late while a thread waits on a child of its; after a pause, so that
        // this client ends first, unhurried, and the daemon and its spare then have the machine
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "trap '' INT HUP QUIT TSTP; (sleep 1;"
                + " if command -v setsid >/dev/null 2>&1; then exec setsid \"$0\" \"$@\"; fi; exec \"$0\" \"$@\") &"));
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
