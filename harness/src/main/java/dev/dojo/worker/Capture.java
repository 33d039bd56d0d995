package dev.dojo.worker;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * What the learner's code prints, caught in the worker: System.out and System.err both write here,
 * never to the protocol. During a request the first {@link #SHOWN} lines go to the CLI as they
 * come, each cut to {@link #WIDTH} characters; the rest are only counted, so two million lines cost
 * a count, not a flood. Between requests (a thread left spinning after its run) output is dropped.
 */
final class Capture extends OutputStream {
    static final int SHOWN = 40;
    static final int WIDTH = 400;

    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private Consumer<String> shown;
    private long lines;
    private boolean cut;

    /** A print stream over this capture, for System.setOut and System.setErr. */
    PrintStream stream() {
        return new PrintStream(this, true, StandardCharsets.UTF_8);
    }

    /** Starts catching a request's output: its first lines go to {@code shown}. */
    synchronized void begin(Consumer<String> shown) {
        this.shown = shown;
        lines = 0;
        line.reset();
        cut = false;
    }

    /** Stops catching; the number of lines printed since {@link #begin}, a last unfinished line included. */
    synchronized long end() {
        if (shown != null && line.size() > 0) {
            endLine();
        }
        shown = null;
        return lines;
    }

    @Override
    public synchronized void write(int b) {
        if (shown == null) {
            return;
        }
        if (b == '\n') {
            endLine();
        } else if (lines < SHOWN) {
            keep(b);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        if (shown == null) {
            return;
        }
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                endLine();
            } else if (lines < SHOWN) {
                keep(bytes[i]);
            }
        }
    }

    private void keep(int b) {
        if (line.size() < WIDTH * 4) {          // a character takes at most four bytes in UTF-8
            line.write(b);
        } else {
            cut = true;
        }
    }

    private void endLine() {
        if (lines < SHOWN) {
            String text = line.toString(StandardCharsets.UTF_8);
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (cut || text.length() > WIDTH) {
                text = text.substring(0, Math.min(text.length(), WIDTH)) + " …";
            }
            shown.accept(text);
        }
        lines++;
        line.reset();
        cut = false;
    }
}
