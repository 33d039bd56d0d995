package dev.dojo.architecture;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Arrows point one way: no package of the harness reaches itself again through the packages it imports. */
class PackageArrowsTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/dojo");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.dojo\\.([a-z]+)\\.", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.dojo\\.([a-z]+)\\.[A-Z]");

    @Test
    @DisplayName("the harness's packages import one another without a cycle")
    void noCycles() {
        Map<String, Set<String>> imports = imports(SOURCES);

        assertThat(imports).as("packages under %s", SOURCES).containsKeys("cli", "kata", "probes", "reference");
        assertThat(cycles(imports)).as("import cycles among %s", imports).isEmpty();
    }

    @Test
    @DisplayName("a cycle is found when one package imports another that imports it back")
    void cycleIsFound() {
        Map<String, Set<String>> imports = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));

        assertThat(cycles(imports)).containsExactly("a -> b -> c -> a");
    }

    /** For each package, the other harness packages its sources name. */
    static Map<String, Set<String>> imports(Path root) {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(file).getName(0).toString();
                Set<String> used = imports.computeIfAbsent(pkg, p -> new TreeSet<>());
                String text = Files.readString(file);
                for (Pattern pattern : List.of(IMPORT, QUALIFIED)) {
                    Matcher m = pattern.matcher(text);
                    while (m.find()) {
                        if (!m.group(1).equals(pkg)) {
                            used.add(m.group(1));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return imports;
    }

    /** Each cycle once, as "a -> b -> a", starting at its smallest package. */
    static List<String> cycles(Map<String, Set<String>> imports) {
        Set<String> found = new TreeSet<>();
        for (String start : imports.keySet()) {
            walk(start, start, new ArrayList<>(List.of(start)), imports, found);
        }
        return List.copyOf(found);
    }

    private static void walk(String start, String at, List<String> path, Map<String, Set<String>> imports,
                             Set<String> found) {
        for (String next : imports.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                if (path.stream().allMatch(p -> p.compareTo(start) >= 0)) {
                    found.add(String.join(" -> ", path) + " -> " + start);
                }
            } else if (!path.contains(next)) {
                path.add(next);
                walk(start, next, path, imports, found);
                path.remove(path.size() - 1);
            }
        }
    }
}
