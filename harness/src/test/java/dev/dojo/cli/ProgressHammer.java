package dev.dojo.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A child process for {@link ProgressTest}: says "ready", waits for the go file, then records
 * {@code n} runs of {@code slug} in the progress file, each through a new {@link Progress} as a
 * separate {@code ./kata test} would.
 */
final class ProgressHammer {
    private ProgressHammer() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Path go = Path.of(args[1]);
        String slug = args[2];
        int n = Integer.parseInt(args[3]);
        PrintStream out = System.out;
        out.println("ready");
        out.flush();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(go) && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        for (int i = 0; i < n; i++) {
            new Progress(file, new Notices(System.err)).ran(slug, false, Instant.now());
        }
        out.println("done");
    }
}
