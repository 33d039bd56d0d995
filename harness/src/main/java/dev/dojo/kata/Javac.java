package dev.dojo.kata;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Compiles Java sources in-process with javax.tools: one compiler and file manager per JVM, since
 * the file manager caches the class path's jars, the biggest cost of a compile in a warm JVM.
 */
public final class Javac {

    /** A compile that failed: each error as "path:line: message". */
    public static final class CompileError extends Exception {
        public CompileError(String message) {
            super(message);
        }
    }

    private static JavaCompiler compiler;
    private static StandardJavaFileManager files;

    private Javac() {}

    /** Compiles {@code sources} into {@code output} against {@code classpath}; the errors if they do not compile. */
    public static synchronized void compile(List<Path> sources, Path output, String classpath) throws CompileError {
        if (compiler == null) {
            compiler = ToolProvider.getSystemJavaCompiler();
            if (compiler == null) {
                throw new CompileError("no Java compiler in " + System.getProperty("java.home")
                        + ": the dojo needs a JDK 17+, not a JRE");
            }
            files = compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
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
                        String where = d.getSource() == null ? ""
                                : Path.of(d.getSource().toUri()) + ":" + d.getLineNumber() + ": ";
                        errors.append(where).append(d.getMessage(Locale.ROOT)).append('\n');
                    }
                }
                throw new CompileError(errors.toString().stripTrailing());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every .java file under {@code root}, sorted; none if it is not a folder. */
    public static List<Path> sources(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the sources under " + root, e);
        }
    }

    /** Deletes {@code folder} and everything in it, if it exists: a fresh output folder for a compile. */
    public static void clear(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + folder, e);
        }
    }
}
