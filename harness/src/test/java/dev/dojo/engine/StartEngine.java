package dev.dojo.engine;

/**
 * A tiny program that starts the engine the dojo's way, for {@link EnginesTest} to run in a JVM
 * of its own: prints whether DJL is offline, or only the missing-library message and exits 2.
 */
public final class StartEngine {
    private StartEngine() {}

    public static void main(String[] args) {
        try {
            Engines.pytorch();
        } catch (Engines.MissingNativeLibraryException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        System.out.println("ai.djl.offline=" + System.getProperty("ai.djl.offline"));
    }
}
