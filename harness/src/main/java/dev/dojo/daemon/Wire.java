package dev.dojo.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the client and the daemon say over the socket. The client opens with a {@link Hello}; the
 * daemon answers with frames, a type byte and a length-prefixed body: the command's standard
 * output and error as they are written, then its exit code; or, to a client whose build the
 * daemon does not match, that it is retiring; or, to a client in another working folder (where
 * the command line's relative paths mean other files), that it declines.
 */
final class Wire {
    /** Changes whenever the wire does: a client and daemon of different versions never talk. */
    static final int VERSION = 2;

    static final byte OUT = 1;
    static final byte ERR = 2;
    static final byte EXIT = 3;
    static final byte RETIRED = 4;
    static final byte DECLINED = 5;

    private Wire() {}

    /** What a client asks: to run a command, or for the daemon to stop. */
    enum Ask { RUN, STOP }

    /**
     * The client's opening.
     *
     * @param ask         run a command, or stop
     * @param fingerprint the build and settings the client runs with ({@link Fingerprint})
     * @param folder      the client's working folder, against which its command line's relative paths resolve
     * @param colour      whether the client's output is a terminal that takes colour
     * @param args        the command line
     */
    record Hello(Ask ask, String fingerprint, String folder, boolean colour, List<String> args) {
        void write(DataOutputStream out) throws IOException {
            out.writeInt(VERSION);
            out.writeByte(ask.ordinal());
            string(out, fingerprint);
            string(out, folder);
            out.writeBoolean(colour);
            out.writeInt(args.size());
            for (String arg : args) {
                string(out, arg);
            }
            out.flush();
        }

        /** The hello on {@code in}; null if it is not one of this version's (an older or newer client). */
        static Hello read(DataInputStream in) throws IOException {
            if (in.readInt() != VERSION) {
                return null;
            }
            int ask = in.readUnsignedByte();
            if (ask >= Ask.values().length) {
                return null;
            }
            String fingerprint = string(in);
            String folder = string(in);
            boolean colour = in.readBoolean();
            int count = in.readInt();
            if (count < 0 || count > 10_000) {
                return null;
            }
            List<String> args = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                args.add(string(in));
            }
            return new Hello(Ask.values()[ask], fingerprint, folder, colour, List.copyOf(args));
        }
    }

    /** Writes one frame. */
    static void frame(OutputStream out, byte type, byte[] body, int offset, int length) throws IOException {
        synchronized (out) {
            out.write(type);
            out.write(length >>> 24);
            out.write(length >>> 16);
            out.write(length >>> 8);
            out.write(length);
            out.write(body, offset, length);
            out.flush();
        }
    }

    /** Writes the exit-code frame. */
    static void exit(OutputStream out, int code) throws IOException {
        frame(out, EXIT, new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code}, 0, 4);
    }

    /** One frame read: its type and body. */
    record Frame(byte type, byte[] body) {
        int code() {
            return ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
        }
    }

    /** The next frame, or null at the end of the stream. */
    static Frame next(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        try {
            int length = in.readInt();
            if (length < 0 || length > (64 << 20)) {
                throw new IOException("a frame of " + length + " bytes");
            }
            byte[] body = new byte[length];
            in.readFully(body);
            if (type == EXIT && length != 4) {
                throw new IOException("an exit frame of " + length + " bytes");
            }
            return new Frame((byte) type, body);
        } catch (EOFException e) {
            return null;
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String string(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > (1 << 20)) {
            throw new IOException("a string of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
