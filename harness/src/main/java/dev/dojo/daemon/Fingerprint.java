package dev.dojo.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a daemon must share with a client to run its commands as the client itself would: the
 * same Java, the same class path with the same files (a rebuild of the harness changes the
 * modification times of its classes), the same dojo and DJL settings, and the environment the
 * engine and the diagnosis read. A client whose fingerprint differs gets a new daemon.
 */
public final class Fingerprint {
    /** The environment variables that change what a daemon or its workers do. */
    private static final List<String> ENVIRONMENT_PREFIXES = List.of("DJL_", "ENGINE_CACHE_DIR", "PYTORCH_",
            "OMP_", "MKL_", "LD_LIBRARY_PATH", "LD_PRELOAD", "MALLOC_", "DOJO_", "TERM", "TMPDIR", "JAVA_TOOL_OPTIONS");

    private Fingerprint() {}

    /** This JVM's fingerprint. */
    public static String current() {
        Map<String, String> parts = new TreeMap<>();
        parts.put("java.home", System.getProperty("java.home"));
        parts.put("java.class.path", System.getProperty("java.class.path"));
        forwarded().forEach((name, value) -> parts.put("-D" + name, value));
        System.getenv().forEach((name, value) -> {
            if (ENVIRONMENT_PREFIXES.stream().anyMatch(name::startsWith)) {
                parts.put("$" + name, value);
            }
        });
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                parts.put("@" + entry, stamp(Path.of(entry)));
            }
        }
        // FNV-1a, 64 bits: a change detector, not a secret (the socket's permissions keep others out),
        // and far quicker to start than a MessageDigest in a JVM that has just started
        long hash = 0xcbf29ce484222325L;
        StringBuilder all = new StringBuilder();
        parts.forEach((name, value) -> all.append(name).append('=').append(value).append('\n'));
        for (int i = 0; i < all.length(); i++) {
            hash ^= all.charAt(i);
            hash *= 0x100000001b3L;
        }
        return Long.toHexString(hash);
    }

    /**
     * The system properties a daemon is started with, as the client has them: the dojo's own and
     * DJL's, and the temporary folder.
     */
    static Map<String, String> forwarded() {
        Map<String, String> forwarded = new TreeMap<>();
        System.getProperties().forEach((key, value) -> {
            String name = key.toString();
            if (name.startsWith("dojo.") || name.startsWith("ai.djl.") || name.equals("DJL_CACHE_DIR")
                    || name.equals("ENGINE_CACHE_DIR") || name.equals("java.io.tmpdir")) {
                forwarded.put(name, value.toString());
            }
        });
        return forwarded;
    }

    /** A class path entry's size and modification time; for a folder, its files' newest time and their count. */
    private static String stamp(Path entry) {
        try {
            if (Files.isDirectory(entry)) {
                List<Long> times = new ArrayList<>();
                try (Stream<Path> files = Files.walk(entry)) {
                    files.forEach(file -> times.add(file.toFile().lastModified()));
                }
                return times.size() + "/" + times.stream().mapToLong(Long::longValue).max().orElse(0);
            }
            BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
            return attributes.size() + "/" + attributes.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return "missing";
        } catch (UncheckedIOException e) {
            return "changing";
        }
    }
}
