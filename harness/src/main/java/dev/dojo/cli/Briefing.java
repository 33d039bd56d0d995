package dev.dojo.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A kata's README.md: the briefing above "## Hints", and the hints in their {@code <details>} blocks. */
record Briefing(String text, List<String> hints) {
    private static final Pattern HINT = Pattern.compile(
            "<details>\\s*<summary>\\s*Hint (\\d+)\\s*</summary>(.*?)</details>", Pattern.DOTALL);

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
