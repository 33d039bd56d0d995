package dev.dojo.cli;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Compiles a kata's sources in-process with javax.tools, only when a source is newer than the
 * last compile, into the same folders Maven uses (target/classes, target/test-classes).
 */
final class KataCompiler {

    /** A compile that failed: each error as "path:line: message". */
    static final class CompileError extends Exception {
        CompileError(String message) {
            super(message);
        }
    }

    /** One compiler and file manager per JVM: the file manager caches the class path's jars, a watch loop's biggest cost. */
    private static JavaCompiler compiler;
    private static StandardJavaFileManager files;

    private KataCompiler() {}

    /** Compiles module/src/main/java then module/src/test/java if any source changed since the last compile. */
    static void compileIfStale(Path module, Path testSources) throws CompileError {
        Path classes = module.resolve("target/classes");
        Path testClasses = module.resolve("target/test-classes");
        Path stamp = module.resolve("target/.dojo-compiled");
        List<Path> main = javaFiles(module.resolve("src/main/java"));
        List<Path> tests = javaFiles(testSources);
        if (Files.exists(stamp) && Files.exists(testClasses) && newest(main, tests).compareTo(modified(stamp)) < 0) {
            return;
        }
        String classpath = System.getProperty("java.class.path");
        compile(main, classes, classpath);
        compile(tests, testClasses, classes + File.pathSeparator + classpath);
        try {
            Files.writeString(stamp, "");
            Files.setLastModifiedTime(stamp, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void compile(List<Path> sources, Path output, String classpath) throws CompileError {
        if (compiler == null) {
            compiler = ToolProvider.getSystemJavaCompiler();
            if (compiler == null) {
                throw new CompileError("no Java compiler in " + System.getProperty("java.home")
                        + ": the dojo needs a JDK 17+, not a JRE");
            }
            files = compiler.getStandardFileManager(null, Locale.ROOT, java.nio.charset.StandardCharsets.UTF_8);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try {
            Files.createDirectories(output);
            List<String> options = List.of("-d", output.toString(), "-classpath", classpath, "--release", "17",
                    "-encoding", "UTF-8", "-proc:none");
            boolean ok = compiler.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            if (!ok) {
                StringBuilder errors = new StringBuilder();
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) {
                        String where = d.getSource() == null ? "" : Path.of(d.getSource().toUri()) + ":" + d.getLineNumber() + ": ";
                        errors.append(where).append(d.getMessage(Locale.ROOT)).append('\n');
                    }
                }
                throw new CompileError(errors.toString().stripTrailing());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> javaFiles(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileTime newest(List<Path> main, List<Path> tests) {
        FileTime newest = FileTime.fromMillis(0);
        List<Path> all = new ArrayList<>(main);
        all.addAll(tests);
        for (Path p : all) {
            FileTime t = modified(p);
            newest = t.compareTo(newest) > 0 ? t : newest;
        }
        return newest;
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
