package dev.dojo.kata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's catalogue table, generated from the katas' kata.json files: the one place a kata's
 * title, difficulty, topics and time box are written is its kata.json, and the README's table is
 * this text between two markers, rewritten by {@code ./kata catalogue --write} and checked by the build.
 */
public final class Catalogue {
    public static final String BEGIN = "<!-- catalogue: generated from katas/*/kata.json by ./kata catalogue --write -->";
    public static final String END = "<!-- end of catalogue -->";

    private Catalogue() {}

    /** The table, one row per kata in slug order, as Markdown. */
    public static String table(List<Kata> katas) {
        StringBuilder s = new StringBuilder();
        s.append("| kata | title | difficulty | topics | time box |\n");
        s.append("|---|---|---|---|---|\n");
        for (Kata k : katas) {
            s.append("| [`").append(k.slug()).append("`](katas/").append(k.slug()).append("/README.md) | ")
                    .append(k.title()).append(" | ").append("★".repeat(k.difficulty()))
                    .append("☆".repeat(5 - k.difficulty())).append(" | ").append(String.join(", ", k.topics()))
                    .append(" | ").append(k.timebox()).append(" |\n");
        }
        return s.toString();
    }

    /** What stands between the markers of {@code readme}; an error naming the file if a marker is missing. */
    public static String current(Path readme) {
        String text = read(readme);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(readme + " has no catalogue between '" + BEGIN + "' and '" + END + "'");
        }
        return text.substring(begin + BEGIN.length(), end).strip() + "\n";
    }

    /** Rewrites the table between the markers of {@code readme} from {@code katas}; true if it changed. */
    public static boolean write(Path readme, List<Kata> katas) {
        String text = read(readme);
        String before = current(readme);
        String table = table(katas);
        if (before.equals(table)) {
            return false;
        }
        int begin = text.indexOf(BEGIN) + BEGIN.length();
        int end = text.indexOf(END);
        try {
            Files.writeString(readme, text.substring(0, begin) + "\n" + table + text.substring(end));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + readme, e);
        }
        return true;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
