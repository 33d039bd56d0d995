package dev.dojo.kata;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A kata as its {@code kata.json} describes it, with where its parts live in the checkout:
 * katas/SLUG (briefing, broken source, tests) and solutions/SLUG (fixed source, SOLUTION.md).
 */
public record Kata(
        String slug,
        String title,
        int difficulty,
        List<String> topics,
        String timebox,
        List<String> triggering,
        String golden,
        Path root) {

    private record Json(String slug, String title, Integer difficulty, List<String> topics, String timebox,
                        List<String> triggering, String golden) {}

    /** Reads katas/SLUG/kata.json under the checkout {@code root}; a clear error if a field is missing. */
    public static Kata read(Path root, String slug) {
        Path file = root.resolve("katas").resolve(slug).resolve("kata.json");
        Json json;
        try (Reader reader = Files.newBufferedReader(file)) {
            json = new Gson().fromJson(reader, Json.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        require(json != null, file, "is empty");
        require(json.slug() != null, file, "has no slug");
        require(slug.equals(json.slug()), file, "names slug '" + json.slug() + "' but lives in katas/" + slug);
        require(json.title() != null, file, "has no title");
        require(json.difficulty() != null && json.difficulty() >= 1 && json.difficulty() <= 5, file,
                "needs a difficulty from 1 to 5, got " + json.difficulty());
        require(json.topics() != null && !json.topics().isEmpty(), file, "has no topics");
        require(!json.topics().contains(null), file, "has a null among its topics");
        require(json.timebox() != null, file, "has no timebox");
        require(json.triggering() != null && !json.triggering().isEmpty(), file, "declares no triggering tests");
        require(json.golden() != null, file, "names no golden case class");
        for (String test : json.triggering()) {
            require(test != null && test.contains("#"), file, "triggering test '" + test + "' must read Class#method");
        }
        return new Kata(slug, json.title(), json.difficulty(), List.copyOf(json.topics()), json.timebox(),
                List.copyOf(json.triggering()), json.golden(), root);
    }

    /** Every kata under root/katas, by slug. */
    public static List<Kata> all(Path root) {
        List<Kata> katas = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root.resolve("katas"))) {
            dirs.filter(d -> Files.isRegularFile(d.resolve("kata.json"))).sorted()
                    .forEach(d -> katas.add(read(root, d.getFileName().toString())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root.resolve("katas"), e);
        }
        return katas;
    }

    /** The slugs of every kata under root/katas. */
    public static List<String> slugs(Path root) {
        return all(root).stream().map(Kata::slug).toList();
    }

    public Path kataDir() {
        return root.resolve("katas").resolve(slug);
    }

    public Path solutionDir() {
        return root.resolve("solutions").resolve(slug);
    }

    private static void require(boolean condition, Path file, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(file + " " + problem);
        }
    }
}
