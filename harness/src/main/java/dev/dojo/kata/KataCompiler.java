package dev.dojo.kata;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a kata's sources in-process with javax.tools, only when a source is newer than the
 * last compile, into the same folders Maven uses (target/classes, target/test-classes).
 */
public final class KataCompiler {

    /** A compile that failed: each error as "path:line: message". */
    public static final class CompileError extends Exception {
        CompileError(String message) {
            super(message);
        }
    }

    private KataCompiler() {}

    /**
     * Compiles module/src/main/java, then the test sources, each only if one of its files changed,
     * appeared or vanished since its last compile, into an emptied folder, so no class of a deleted
     * or renamed source is ever tested. The tests are also recompiled when the main classes'
     * members changed, so they never run against signatures they were not compiled for.
     */
    public static void compileIfStale(Path module, Path testSources) throws CompileError {
        Path classes = module.resolve("target/classes");
        Path testClasses = module.resolve("target/test-classes");
        Path mainStamp = module.resolve("target/.dojo-compiled-main");
        Path testStamp = module.resolve("target/.dojo-compiled-test");
        List<Path> main = javaFiles(module.resolve("src/main/java"));
        List<Path> tests = javaFiles(testSources);
        if (main.isEmpty()) {
            throw new CompileError("no Java sources in " + module.resolve("src/main/java")
                    + ": the component's file is missing (./kata reset " + module.getFileName() + " restores it)");
        }
        if (tests.isEmpty()) {
            throw new CompileError("no Java sources in " + testSources + ": the kata's tests are missing (./kata reset "
                    + module.getFileName() + " restores them)");
        }
        String classpath = System.getProperty("java.class.path");
        boolean testsStale = stale(tests, testStamp) || !Files.isDirectory(testClasses);
        if (stale(main, mainStamp) || !Files.isDirectory(classes)) {
            FileTime started = FileTime.fromMillis(System.currentTimeMillis());
            String before = Members.of(classes);
            Javac.clear(classes);
            compile(main, classes, classpath);
            touch(mainStamp, main, started);
            testsStale |= !Members.of(classes).equals(before);
        }
        if (testsStale) {
            FileTime started = FileTime.fromMillis(System.currentTimeMillis());
            Javac.clear(testClasses);
            compile(tests, testClasses, classes + File.pathSeparator + classpath);
            touch(testStamp, tests, started);
        }
    }

    /** Stale: never compiled, a source newer than the last compile, or a source added or removed since. */
    private static boolean stale(List<Path> sources, Path stamp) {
        try {
            return !Files.exists(stamp) || newest(sources).compareTo(modified(stamp)) >= 0
                    || !Files.readString(stamp).equals(names(sources));
        } catch (IOException e) {
            return true;
        }
    }

    private static String names(List<Path> sources) {
        StringBuilder s = new StringBuilder();
        sources.forEach(p -> s.append(p).append('\n'));
        return s.toString();
    }

    /**
     * Marks a compile of {@code sources} that started at {@code started}: a save during the compile
     * stays newer than the stamp, and the stamp lists the sources, so one added or removed shows.
     */
    private static void touch(Path stamp, List<Path> sources, FileTime started) {
        try {
            Files.createDirectories(stamp.getParent());
            Files.writeString(stamp, names(sources));
            Files.setLastModifiedTime(stamp, started);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compile(List<Path> sources, Path output, String classpath) throws CompileError {
        try {
            Javac.compile(sources, output, classpath);
        } catch (Javac.CompileError e) {
            throw new CompileError(e.getMessage());
        }
    }

    private static List<Path> javaFiles(Path root) {
        return Javac.sources(root);
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
