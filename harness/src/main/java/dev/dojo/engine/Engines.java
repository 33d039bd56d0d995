package dev.dojo.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Utils;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The one way the dojo starts DJL's PyTorch engine: offline, quiet, and with clear errors. */
public final class Engines {

    /** The build profiles that bring a native library, as named in harness/pom.xml. */
    public static final String PROFILES = "linux-x86_64, linux-aarch64, osx-aarch64, win-x86_64";

    private static volatile Engine engine;

    private Engines() {}

    /** Returns the started PyTorch engine; starts it on first use, never downloading anything. */
    public static Engine pytorch() {
        return pytorch(System.err);
    }

    /**
     * As {@link #pytorch()}, telling {@code notices} (one line) when the native library is extracted
     * on first use; nothing else is said.
     */
    public static Engine pytorch(PrintStream notices) {
        Engine started = engine;
        if (started == null) {
            synchronized (Engines.class) {
                started = engine;
                if (started == null) {
                    started = start(notices);
                    engine = started;
                }
            }
        }
        return started;
    }

    /** A new manager on the PyTorch engine's CPU; the caller closes it, freeing every tensor made in it. */
    public static NDManager newManager() {
        return pytorch().newBaseManager();
    }

    /**
     * Checks, without starting the engine, that it can start as far as DJL's cache goes: when the
     * native library is not extracted yet, the cache must be a folder this process can write.
     * Cheap (a look at one folder); the CLI calls it before any command that runs the engine.
     *
     * @throws MissingNativeLibraryException naming the cache when the library would have to be
     *         extracted into a folder that cannot be written
     */
    public static void checkCache() {
        Path cache = Utils.getEngineCacheDir("pytorch");
        if (!hasExtractedNatives(cache) && nativeJarPresent() && !writable(cache)) {
            throw MissingNativeLibraryException.unwritableCache(cache);
        }
    }

    private static Engine start(PrintStream notices) {
        System.setProperty("ai.djl.offline", "true");
        // Kata tensors are tiny: one intra-op thread avoids libtorch's thread-pool overhead, which
        // dominates small ops on a shared 2-core machine. A user's own setting wins.
        if (System.getProperty("ai.djl.pytorch.num_threads") == null && System.getenv("OMP_NUM_THREADS") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Path cache = Utils.getEngineCacheDir("pytorch");
        checkCache();
        if (!hasExtractedNatives(cache) && nativeJarPresent()) {
            notices.println("dojo: extracting the PyTorch native library (~430 MB) to " + cache
                    + " (first run only)");
        }
        try {
            return Engine.getEngine("PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new MissingNativeLibraryException(platform(), cache, e);
        }
    }

    private static boolean hasExtractedNatives(Path cache) {
        try (var entries = Files.list(cache)) {
            return entries.anyMatch(p -> p.getFileName().toString().contains("cpu"));
        } catch (Exception e) {
            return false;
        }
    }

    /** Whether files can be made in {@code folder}, making it (and its parents) if need be: tried, not guessed. */
    private static boolean writable(Path folder) {
        try {
            Files.createDirectories(folder);
            Path probe = Files.createTempFile(folder, ".dojo-write-check", ".tmp");
            Files.delete(probe);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean nativeJarPresent() {
        return Engines.class.getClassLoader().getResource("native/lib/pytorch.properties") != null;
    }

    /** The platform in the classifier spelling of pytorch-native-cpu, such as linux-x86_64. */
    public static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String osPart = os.startsWith("win") ? "win" : os.contains("mac") ? "osx" : os.contains("linux") ? "linux" : os;
        String archPart = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
        return osPart + "-" + archPart;
    }

    /** Thrown when no PyTorch native library for this machine is on the classpath or in DJL's cache. */
    public static final class MissingNativeLibraryException extends IllegalStateException {
        MissingNativeLibraryException(String platform, Path cache, Throwable cause) {
            super("No PyTorch native library for " + platform + ": DJL runs offline here, so it must come from the"
                    + " pytorch-native-cpu jar that one of the build profiles (" + PROFILES + ") adds, or be already"
                    + " extracted in " + cache + ". Build on one of those platforms with ./mvnw so the profile"
                    + " matches. Cause: " + firstLine(cause.getMessage()), cause);
        }

        static MissingNativeLibraryException unwritableCache(Path cache) {
            return new MissingNativeLibraryException("cannot extract the PyTorch native library (~430 MB) to " + cache
                    + ": DJL's cache is empty and cannot be written there; set DJL_CACHE_DIR to a writable folder");
        }

        private static String firstLine(String s) {
            return s == null ? "" : s.lines().findFirst().orElse("");
        }

        /** The same error, as another process (a worker) reported it in {@code message}. */
        public MissingNativeLibraryException(String message) {
            super(message);
        }
    }
}
