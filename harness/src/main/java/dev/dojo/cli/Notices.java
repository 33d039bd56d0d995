package dev.dojo.cli;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One-line notices to the user on the error stream, as {@code dojo: <message>}: each distinct
 * message once per command (a watch that cannot save progress says so once, not on every save),
 * with control characters made visible.
 */
final class Notices implements Consumer<String> {
    private final PrintStream err;
    private final Set<String> shown = new HashSet<>();

    Notices(PrintStream err) {
        this.err = err;
    }

    @Override
    public synchronized void accept(String message) {
        if (shown.add(message)) {
            err.println("dojo: " + Terminal.printable(message));
        }
    }
}
