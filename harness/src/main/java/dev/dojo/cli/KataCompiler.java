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

    /**
     * Compiles module/src/main/java, then the test sources, each only if one of its files changed
     * since its last compile. The tests are also recompiled when the main classes' members changed,
     * so they never run against signatures they were not compiled for.
     */
    static void compileIfStale(Path module, Path testSources) throws CompileError {
        Path classes = module.resolve("target/classes");
        Path testClasses = module.resolve("target/test-classes");
        Path mainStamp = module.resolve("target/.dojo-compiled-main");
        Path testStamp = module.resolve("target/.dojo-compiled-test");
        List<Path> main = javaFiles(module.resolve("src/main/java"));
        List<Path> tests = javaFiles(testSources);
        String classpath = System.getProperty("java.class.path");
        boolean testsStale = stale(tests, testStamp) || !Files.isDirectory(testClasses);
        if (stale(main, mainStamp) || !Files.isDirectory(classes)) {
            FileTime started = FileTime.fromMillis(System.currentTimeMillis());
            String before = Members.of(classes);
            compile(main, classes, classpath);
            touch(mainStamp, started);
            testsStale |= !Members.of(classes).equals(before);
        }
        if (testsStale) {
            FileTime started = FileTime.fromMillis(System.currentTimeMillis());
            compile(tests, testClasses, classes + File.pathSeparator + classpath);
            touch(testStamp, started);
        }
    }

    private static boolean stale(List<Path> sources, Path stamp) {
        return !Files.exists(stamp) || newest(sources).compareTo(modified(stamp)) >= 0;
    }

    /** Marks a compile that started at {@code started}: a save during the compile stays newer than the stamp. */
    private static void touch(Path stamp, FileTime started) {
        try {
            Files.createDirectories(stamp.getParent());
            Files.writeString(stamp, "");
            Files.setLastModifiedTime(stamp, started);
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
            List<String> options = List.of("-d", output.toString(), "-classpath", classpath, "-encoding", "UTF-8",
                    "-proc:none", "-implicit:none");
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

    private static FileTime newest(List<Path> sources) {
        FileTime newest = FileTime.fromMillis(0);
        for (Path p : sources) {
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
