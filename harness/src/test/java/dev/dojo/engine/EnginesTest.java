package dev.dojo.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starting DJL's PyTorch engine the dojo's way. Engine start is once per JVM, so the start-up
 * behaviours are seen in child JVMs running {@link StartEngine}.
 */
class EnginesTest {
    /** The variables DJL reads before the system properties of the same name (Utils.getEnvOrSystemProperty). */
    private static final List<String> DJL_VARIABLES = List.of("DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "DJL_OFFLINE",
            "PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR", "PYTORCH_PRECXX11");

    @TempDir
    Path temp;

    private record Run(int exit, String out, String err) {}

    private Run startEngine(List<String> classpath, String... properties) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", String.join(File.pathSeparator, classpath)));
        command.addAll(Arrays.asList(properties));
        command.add(StartEngine.class.getName());
        Path out = temp.resolve("out.txt");
        Path err = temp.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        DJL_VARIABLES.forEach(builder.environment()::remove);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the child JVM did not end in 5 minutes: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static List<String> classpath() {
        return List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    }

    private static boolean isNativeJar(String entry) {
        return Path.of(entry).getFileName().toString().startsWith("pytorch-native-cpu-");
    }

    @Test
    @DisplayName("without the native jar or extracted natives, engine start fails with one clear message naming the profiles")
    void missingNativeLibrary() throws Exception {
        List<String> withoutNatives = classpath().stream().filter(e -> !isNativeJar(e)).toList();
        assertThat(withoutNatives).as("the class path without pytorch-native-cpu").hasSize(classpath().size() - 1);
        Path cache = Files.createDirectories(temp.resolve("djl-cache"));

        Run run = startEngine(withoutNatives, "-DDJL_CACHE_DIR=" + cache, "-DENGINE_CACHE_DIR=" + cache);

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("No PyTorch native library for " + Engines.platform()
                        + ": DJL runs offline here, so it must come from the pytorch-native-cpu jar that one of the build"
                        + " profiles (" + Engines.PROFILES + ") adds, or be already extracted in "
                        + cache.resolve("pytorch") + ". Build on one of those platforms with ./mvnw so the profile matches."
                        + " Cause: ")
                .doesNotContain("\tat ")
                .doesNotContain("dojo: extracting");
        assertThat(run.err().lines()).as("stderr lines").hasSize(1);
    }

    @Test
    @DisplayName("a started engine is offline, and starting it prints nothing but the one-time extraction notice")
    void startedEngineIsOfflineAndQuiet() throws Exception {
        Run run = startEngine(classpath());

        assertThat(run.exit()).as("exit; stderr: %s", run.err()).isZero();
        assertThat(run.out()).isEqualTo("ai.djl.offline=true" + System.lineSeparator());
        assertThat(run.err().lines()).allMatch(line -> line.startsWith("dojo: extracting the PyTorch native library"));
    }

    @Test
    @DisplayName("the platform is spelled as the classifier of the native jar this build's profile chose")
    void platformMatchesTheProfileOnThisMachine() {
        List<String> nativeJars = classpath().stream().filter(EnginesTest::isNativeJar).toList();

        assertThat(nativeJars).as("pytorch-native-cpu jars on the class path").hasSize(1);
        assertThat(Path.of(nativeJars.get(0)).getFileName().toString()).endsWith("-" + Engines.platform() + ".jar");
        assertThat(Engines.PROFILES.split(", ")).contains(Engines.platform());
    }

    @ParameterizedTest(name = "{0} on {1} is {2}")
    @DisplayName("os.name and os.arch map to the classifier spelling")
    @CsvSource({
            "Linux,      amd64,   linux-x86_64",
            "Linux,      x86_64,  linux-x86_64",
            "Linux,      aarch64, linux-aarch64",
            "Mac OS X,   aarch64, osx-aarch64",
            "Windows 11, amd64,   win-x86_64",
            "FreeBSD,    amd64,   freebsd-x86_64",
    })
    void platformMapping(String osName, String osArch, String platform) {
        String name = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        try {
            System.setProperty("os.name", osName);
            System.setProperty("os.arch", osArch);
            assertThat(Engines.platform()).isEqualTo(platform);
        } finally {
            System.setProperty("os.name", name);
            System.setProperty("os.arch", arch);
        }
    }
}
