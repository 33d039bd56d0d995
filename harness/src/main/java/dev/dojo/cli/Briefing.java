package dev.dojo.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kata's README.md: the briefing above "## Hints", and the hints in their {@code <details>} blocks.
 * The briefing's first line is the kata's title as a heading; the facts about the kata (difficulty,
 * topics, time box) are not in it: they live in kata.json and the CLI prints them from there.
 */
record Briefing(String text, List<String> hints) {
    private static final Pattern HINT = Pattern.compile(
            "<details>\\s*<summary>\\s*Hint (\\d+)\\s*</summary>(.*?)</details>", Pattern.DOTALL);

    /** The briefing of {@code kata}. */
    static Briefing read(dev.dojo.kata.Kata kata) {
        return read(kata.kataDir().resolve("README.md"));
    }

    /** The briefing without its title heading: the report and the files to open. */
    String body() {
        return text.startsWith("# ") ? text.substring(text.indexOf('\n') + 1).strip() : text;
    }

    static Briefing read(Path readme) {
        String markdown;
        try {
            markdown = Files.readString(readme);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + readme, e);
        }
        int hintsAt = markdown.indexOf("## Hints");
        String text = (hintsAt < 0 ? markdown : markdown.substring(0, hintsAt)).stripTrailing();
        List<String> hints = new ArrayList<>();
        Matcher m = HINT.matcher(hintsAt < 0 ? "" : markdown.substring(hintsAt));
        while (m.find()) {
            hints.add(m.group(2).strip());
        }
        return new Briefing(text, List.copyOf(hints));
    }
}
