package dev.dojo.kata;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The fixture katas under src/test/resources/fixtures, compiled with javax.tools into a work
 * folder the way Maven builds a kata: main sources into classes/, then tests against them into
 * test-classes/. Each side is compiled once per work folder.
 */
final class FixtureKatas {
    private static final Path FIXTURES = fixtures();

    private final Path work;
    private final Map<String, Integrity.Side> sides = new HashMap<>();
    private final Map<String, Path> testsOnly = new HashMap<>();

    FixtureKatas(Path work) {
        this.work = work;
    }

    /** The side with main sources from fixtures/{@code main} and tests from fixtures/{@code tests}. */
    synchronized Integrity.Side side(String main, String tests) {
        return sides.computeIfAbsent(main + " + " + tests, key -> {
            Path folder = work.resolve(folderName(main) + "+" + folderName(tests));
            Path classes = compile(FIXTURES.resolve(main), folder.resolve("classes"), List.of());
            Path testClasses = compile(FIXTURES.resolve(tests), folder.resolve("test-classes"), List.of(classes));
            return new Integrity.Side(FIXTURES.resolve(main), List.of(classes, testClasses), testClasses);
        });
    }

    /** Test classes compiled from fixtures/{@code tests} alone, against the harness. */
    synchronized Path tests(String tests) {
        return testsOnly.computeIfAbsent(tests,
                key -> compile(FIXTURES.resolve(tests), work.resolve(folderName(tests)), List.of()));
    }

    private static Path compile(Path sources, Path out, List<Path> extraClasspath) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no system Java compiler: the tests need a JDK, not a JRE");
        }
        List<String> classpath = new ArrayList<>();
        extraClasspath.forEach(p -> classpath.add(p.toString()));
        classpath.add(System.getProperty("java.class.path"));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            Files.createDirectories(out);
            List<String> options = List.of("-d", out.toString(), "-classpath", String.join(File.pathSeparator, classpath),
                    "--release", "17", "-proc:none", "-encoding", "UTF-8");
            boolean compiled = compiler.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(javaFiles(sources))).call();
            if (!compiled) {
                throw new IllegalStateException("fixture " + FIXTURES.relativize(sources) + " does not compile:\n"
                        + diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                        .map(Object::toString).collect(Collectors.joining("\n")));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            if (files.isEmpty()) {
                throw new IllegalStateException("no Java sources under " + root);
            }
            return files;
        }
    }

    private static String folderName(String fixture) {
        return fixture.replace('/', '-');
    }

    private static Path fixtures() {
        try {
            return Path.of(FixtureKatas.class.getResource("/fixtures").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
