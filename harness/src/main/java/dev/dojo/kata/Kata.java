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
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A kata as its {@code kata.json} describes it, with where its parts live in the checkout:
 * katas/SLUG (briefing, broken source, tests) and solutions/SLUG (fixed source, SOLUTION.md,
 * wrong fixes). The folder's name is the slug; every other fact is written once, in kata.json.
 *
 * @param formerly          slugs the kata had before, still accepted with a notice
 * @param equivalentMutants mutants of the solution that no test can kill, each with the reason
 * @param noProbeSees       why no probe can see the bug, for the rare bug that breaks no property every
 *                          correct implementation has (a softmax temperature, say); null for every other kata
 * @param sharesProbes      another kata whose bug breaks exactly the same probes, and why no probe can tell
 *                          the two apart; null for a kata whose probe signature is its own
 */
public record Kata(
        String slug,
        String title,
        int difficulty,
        List<String> topics,
        String timebox,
        List<String> formerly,
        List<String> triggering,
        String golden,
        List<EquivalentMutant> equivalentMutants,
        String noProbeSees,
        SharedSignature sharesProbes,
        Path root) {

    /** Another kata ({@code with}) whose bug breaks the same probes as this one's, and {@code why} that is forced. */
    public record SharedSignature(String with, String why) {}

    /** A PIT mutant of the solution that behaves exactly as the solution does, and why. */
    public record EquivalentMutant(int line, String mutator, String why) {}

    private record Json(String slug, String title, Integer difficulty, List<String> topics, String timebox,
                        List<String> formerly, List<String> triggering, String golden,
                        List<EquivalentMutant> equivalentMutants, String noProbeSees,
                        SharedSignature sharesProbes) {}

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
        require(json.slug() == null, file, "names a slug; the folder's name is the slug, so kata.json has none");
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
        List<String> formerly = json.formerly() == null ? List.of() : List.copyOf(json.formerly());
        List<EquivalentMutant> equivalent = json.equivalentMutants() == null ? List.of()
                : List.copyOf(json.equivalentMutants());
        for (EquivalentMutant m : equivalent) {
            require(m != null && m.line() > 0 && m.mutator() != null && m.why() != null && !m.why().isBlank(), file,
                    "has an equivalent mutant without a line, a mutator and a reason: " + m);
        }
        require(json.noProbeSees() == null || !json.noProbeSees().isBlank(), file,
                "says no probe sees its bug but not why (noProbeSees)");
        require(json.sharesProbes() == null || (json.sharesProbes().with() != null && json.sharesProbes().why() != null
                && !json.sharesProbes().why().isBlank()), file, "names a kata it shares probes with, but not which and why");
        return new Kata(slug, json.title(), json.difficulty(), List.copyOf(json.topics()), json.timebox(), formerly,
                List.copyOf(json.triggering()), json.golden(), equivalent, json.noProbeSees(), json.sharesProbes(), root);
    }

    /** Every kata under root/katas (each folder with a kata.json), by slug. */
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

    /** The kata that used to be called {@code former}, if any. */
    public static Optional<Kata> formerlyCalled(Path root, String former) {
        return all(root).stream().filter(k -> k.formerly().contains(former)).findFirst();
    }

    public Path kataDir() {
        return root.resolve("katas").resolve(slug);
    }

    public Path solutionDir() {
        return root.resolve("solutions").resolve(slug);
    }

    /** solutions/SLUG/wrong-fixes: one folder per wrong fix, holding the component as a learner might write it. */
    public Path wrongFixesDir() {
        return solutionDir().resolve("wrong-fixes");
    }

    private static void require(boolean condition, Path file, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(file + " " + problem);
        }
    }
}
