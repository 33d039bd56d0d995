package dev.dojo.daemon;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon's side of the socket: it holds the checkout's daemon lock, listens on the socket in
 * its owner-only folder, and runs each client's command on a thread of its own, streaming what
 * the command writes back to the client as it is written. It stops after {@code idle} without a
 * command, when a client asks it to ({@code ./kata stop}), and, once its running commands end,
 * when a client built differently comes: that client starts a daemon of its own.
 */
public final class Server {
    /** What the daemon runs: the CLI's commands, on streams of the client's. */
    public interface Commands {
        /** Runs the command line {@code args} writing to {@code out} and {@code err}; its exit code. */
        int run(List<String> args, boolean colour, PrintStream out, PrintStream err);

        /** Called once the daemon listens (it holds the lock: no other daemon of the checkout will). */
        void started();

        /** Called after each command, on its thread: time to warm a spare for the next one. */
        void after();

        /** Called once as the daemon stops: let every worker go. */
        void stop();
    }

    private final Place place;
    private final String fingerprint;
    private final Duration idle;
    private final Commands commands;
    private final AtomicInteger running = new AtomicInteger();
    private volatile Instant lastUsed = Instant.now();
    private volatile boolean retiring;
    private ServerSocketChannel listener;
    private FileChannel lock;

    private Server(Place place, String fingerprint, Duration idle, Commands commands) {
        this.place = place;
        this.fingerprint = fingerprint;
        this.idle = idle;
        this.commands = commands;
    }

    /**
     * Serves the checkout's clients until the daemon stops; returns at once, false, if another
     * daemon of this checkout holds the lock.
     */
    public static boolean serve(Place place, String fingerprint, Duration idle, Commands commands) throws IOException {
        place.prepare();
        FileChannel lockFile = FileChannel.open(place.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock();
        if (lock == null) {
            lockFile.close();
            return false;
        }
        Server server = new Server(place, fingerprint, idle, commands);
        server.lock = lockFile;
        server.listen();
        return true;
    }

    private void listen() throws IOException {
        Files.deleteIfExists(place.socket());                 // a dead daemon's: the lock says none is alive
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(place.socket()));
        Files.setPosixFilePermissions(place.socket(), PosixFilePermissions.fromString("rw-------"));
        log("listening on " + place.socket() + " (pid " + ProcessHandle.current().pid() + ")");
        commands.started();
        Thread watchman = new Thread(this::stopWhenIdle, "dojo-daemon-idle");
        watchman.setDaemon(true);
        watchman.start();
        try {
            while (true) {
                SocketChannel client;
                try {
                    client = listener.accept();
                } catch (ClosedChannelException e) {
                    break;                                    // retiring or stopping
                }
                lastUsed = Instant.now();
                running.incrementAndGet();
                Thread thread = new Thread(() -> converse(client), "dojo-daemon-client");
                thread.start();
            }
        } finally {
            while (running.get() > 0) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    break;
                }
            }
            commands.stop();
            log("stopped");
        }
    }

    private void converse(SocketChannel client) {
        try (client) {
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Sockets.in(client)));
            OutputStream out = new BufferedOutputStream(Sockets.out(client), 1 << 16);
            Wire.Hello hello = Wire.Hello.read(in);
            if (hello == null || !hello.fingerprint().equals(fingerprint)) {
                retire(hello == null ? "a client of another version came" : "a client built differently came");
                Wire.frame(out, Wire.RETIRED, new byte[0], 0, 0);
                return;
            }
            if (hello.ask() == Wire.Ask.RUN && !hello.folder().equals(System.getProperty("user.dir"))) {
                Wire.frame(out, Wire.DECLINED, new byte[0], 0, 0);
                return;
            }
            if (hello.ask() == Wire.Ask.STOP) {
                retire("asked to stop");
                Wire.exit(out, 0);
                return;
            }
            AtomicBoolean ended = new AtomicBoolean();
            Thread command = Thread.currentThread();
            Thread hangUp = new Thread(() -> interruptOnHangUp(in, command, ended), "dojo-daemon-hangup");
            hangUp.setDaemon(true);
            hangUp.start();
            int code;
            try (PrintStream stdout = stream(out, Wire.OUT); PrintStream stderr = stream(out, Wire.ERR)) {
                code = commands.run(hello.args(), hello.colour(), stdout, stderr);
            }
            synchronized (ended) {
                ended.set(true);
                Thread.interrupted();                         // a hang-up after the command ended changes nothing
            }
            Wire.exit(out, code);
            commands.after();
        } catch (IOException e) {
            // the client went away: its command, if any, was stopped
        } catch (RuntimeException | Error e) {
            log("a command failed: " + e);
        } finally {
            lastUsed = Instant.now();
            running.decrementAndGet();
        }
    }

    /** Interrupts the command when its client hangs up before it ends (Ctrl-C), so that its worker is killed. */
    private static void interruptOnHangUp(InputStream in, Thread command, AtomicBoolean ended) {
        try {
            while (in.read() >= 0) {
                // a client says nothing after its hello
            }
        } catch (IOException e) {
            // hung up
        }
        synchronized (ended) {
            if (!ended.get()) {
                command.interrupt();
            }
        }
    }

    /** A stream that sends what is written to it as frames of {@code type}. */
    private static PrintStream stream(OutputStream socket, byte type) {
        OutputStream framed = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 0) {
                    Wire.frame(socket, type, b, off, len);
                }
            }
        };
        return new PrintStream(new BufferedOutputStream(framed, 1 << 13), true, StandardCharsets.UTF_8);
    }

    /**
     * Stops listening: the socket and the lock go, so that the next client starts a new daemon;
     * running commands finish.
     */
    private synchronized void retire(String why) {
        if (retiring) {
            return;
        }
        retiring = true;
        log("retiring: " + why);
        try {
            Files.deleteIfExists(place.socket());
            listener.close();
            lock.close();
        } catch (IOException e) {
            log("could not close the socket: " + e);
        }
    }

    private void stopWhenIdle() {
        while (!retiring) {
            try {
                Thread.sleep(Math.min(1000, Math.max(50, idle.toMillis() / 4)));
            } catch (InterruptedException e) {
                return;
            }
            if (running.get() == 0 && Duration.between(lastUsed, Instant.now()).compareTo(idle) > 0) {
                retire("idle for " + idle.toSeconds() + " s");
            }
        }
    }

    /** One line in the daemon's log (its standard error, which the client sends there). */
    static void log(String line) {
        System.err.println(Instant.now() + " " + line);
    }
}
