package dev.dojo.kata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Member;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/** The members (constructors, methods, fields, with their types) of the classes under a folder, as one comparable string. */
final class Members {
    private Members() {}

    /** A fingerprint of every class's declared members under {@code classes}; "" when there are none. */
    static String of(Path classes) {
        if (!Files.isDirectory(classes)) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(classes);
             URLClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()},
                     Members.class.getClassLoader())) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(java.io.File.separatorChar, '.')
                        .replaceAll("\\\\.class$", "");
                Class<?> type = Class.forName(name, false, loader);
                lines.add(type.toGenericString());
                for (Member m : members(type)) {
                    lines.add(name + " " + m);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException | LinkageError e) {
            return "unreadable: " + e;      // forces the tests to be recompiled, which reports the problem
        }
        Collections.sort(lines);
        return String.join("\n", lines);
    }

    private static List<Member> members(Class<?> type) {
        List<Member> all = new ArrayList<>();
        Collections.addAll(all, type.getDeclaredConstructors());
        Collections.addAll(all, type.getDeclaredMethods());
        Collections.addAll(all, type.getDeclaredFields());
        return all;
    }
}
