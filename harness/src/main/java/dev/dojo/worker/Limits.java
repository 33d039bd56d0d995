package dev.dojo.worker;

import java.time.Duration;
import java.util.Locale;

/**
 * How far a worker may go. Time: a run that says nothing for longer than its per-test timeout
 * plus {@code grace} is killed (starting the worker and compiling get {@code startup}). Memory: a
 * Java heap of {@code heapMiB} and, where the OS can limit it ({@code ulimit -v} on Linux and
 * macOS), {@code addressSpaceMiB} of address space for the JVM and libtorch's native tensors.
 *
 * @param grace           what a run may take beyond its per-test timeout between two signs of
 *                        progress: loading a test class, making a golden case, one probe
 * @param startup         what starting the worker and compiling the kata may take
 * @param heapMiB         the worker's -Xmx
 * @param addressSpaceMiB the worker's address-space limit
 */
public record Limits(Duration grace, Duration startup, long heapMiB, long addressSpaceMiB) {
    /** Each test's timeout unless --timeout says otherwise. */
    public static final Duration TEST_TIMEOUT = Duration.ofSeconds(30);
    /** A hidden knob for tests: the grace in seconds. */
    public static final String GRACE_PROPERTY = "dojo.worker.grace";

    /**
     * The limits a learner's run gets. Measured on linux-x86_64 over 20 to 30 runs of each catalogue
     * kata, a worker peaks at 1.5 to 1.75 GiB of address space (libtorch's libraries are ~360 MiB of
     * it, reserved JVM areas most of the rest) with 20 to 50 MiB of live Java heap; 3 GiB and a
     * 256 MiB heap leave room for far larger tensors than a kata's, keep a long-lived worker under
     * 512 MiB resident, and make a 50000 x 50000 tensor (10 GB) fail at once instead of filling
     * the machine.
     */
    public static Limits standard() {
        Duration grace = Duration.ofSeconds(Long.getLong(GRACE_PROPERTY, 10));
        return new Limits(grace, Duration.ofSeconds(120), 256, 3 * 1024);
    }

    /** How long a run with per-test {@code timeout} may go without a sign of progress. */
    public Duration silence(Duration timeout) {
        return timeout.plus(grace);
    }

    /**
     * The ceiling in words: "256 MiB of Java heap and 3 GiB of memory in all" (the second part only
     * on Linux, where the address-space limit is known to hold).
     */
    public String ceiling() {
        String heap = heapMiB + " MiB of Java heap";
        if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            return heap;
        }
        String all = addressSpaceMiB % 1024 == 0 ? addressSpaceMiB / 1024 + " GiB" : addressSpaceMiB + " MiB";
        return heap + " and " + all + " of memory in all";
    }
}
