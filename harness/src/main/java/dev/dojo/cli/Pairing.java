package dev.dojo.cli;

import dev.dojo.report.HtmlReport;
import dev.dojo.session.Event;
import dev.dojo.session.Session;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pairing for the commands: a session per kata or drill, who drives, swap prompts, and the session
 * log's entries for the runs and hints of a kata. The kata commands call it in one line each, so
 * their own code stays as it was.
 */
final class Pairing {
    static final Duration DEFAULT_SWAP = Duration.ofMinutes(7);
    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Pairing() {}

    static Path sessions(Workspace workspace) {
        return workspace.dojo().resolve("sessions");
    }

    /** "Ana,Ben" as names, driver first; none for null. Two or more distinct names, or a user error. */
    static List<String> pair(String option) {
        if (option == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String name : option.split(",")) {
            names.add(name.strip());
        }
        if (names.size() < 2 || names.stream().anyMatch(String::isEmpty)
                || new LinkedHashSet<>(names).size() != names.size()) {
            throw new UserError("--pair needs two or more different names, driver first: --pair Ana,Ben (not '"
                    + option + "')");
        }
        for (String name : names) {
            if (!name.matches("[\\p{L}\\p{N}._' -]{1,40}")) {
                throw new UserError("'" + name + "' is not a name --pair can take: letters, digits, spaces, . _ ' -");
            }
        }
        return List.copyOf(names);
    }

    /** "7m", "90s", "1h", "1m30s", or a number of minutes; the default without one. */
    static Duration swap(String option, List<String> pair) {
        if (option == null) {
            return DEFAULT_SWAP;
        }
        if (pair.isEmpty()) {
            throw new UserError("--swap needs --pair: who swaps with whom?");
        }
        String s = option.strip().toLowerCase(Locale.ROOT);
        Duration d;
        if (s.matches("\\d+")) {
            d = Duration.ofMinutes(Long.parseLong(s));
        } else {
            Matcher m = DURATION.matcher(s);
            if (s.isEmpty() || !m.matches()) {
                throw new UserError("--swap takes a time like 7m, 90s or 1m30s, not '" + option + "'");
            }
            d = Duration.ofHours(number(m.group(1))).plusMinutes(number(m.group(2))).plusSeconds(number(m.group(3)));
        }
        if (d.toSeconds() < 30 || d.toHours() > 8) {
            throw new UserError("--swap must be from 30s to 8h, not " + option);
        }
        return d;
    }

    private static long number(String group) {
        return group == null ? 0 : Long.parseLong(group);
    }

    /**
     * The session of kata {@code slug}: the current one if it is on this kata and no new pair is
     * named, else a new one, which becomes current.
     */
    static Session startKata(Workspace workspace, String slug, List<String> pair, Duration swap, Instant now) {
        String target = "kata " + slug;
        Optional<Session> current = Session.current(sessions(workspace));
        if (current.isPresent() && current.get().target().equals(target) && pair.isEmpty()) {
            return current.get();
        }
        return Session.start(sessions(workspace), "kata-" + slug + "-" + STAMP.format(now), target, pair, swap, now);
    }

    /** The current session, if it works on {@code target} ("kata prenorm-block", "drill 3f9a1c"). */
    static Optional<Session> on(Workspace workspace, String target) {
        return Session.current(sessions(workspace)).filter(s -> s.target().equals(target));
    }

    /** One line: who drives and navigates, and when they swap; nothing for a solo session. */
    static Optional<String> roles(Session session) {
        String driver = session.driver();
        if (driver == null) {
            return Optional.empty();
        }
        String navigator = session.navigator();
        return Optional.of(driver + " drives" + (navigator == null ? "" : ", " + navigator + " navigates")
                + session.swap().map(d -> "; swap every " + dev.dojo.session.Retro.clock(d)).orElse(""));
    }

    /** Prints the swaps that fell due since the last one, each as a prompt. */
    static void promptSwaps(Session session, Terminal terminal, Instant now) {
        for (Event swap : session.dueSwaps(now)) {
            terminal.out().println(terminal.yellow("⇄ Swap! " + swap.who() + " drives now, " + session.navigator()
                    + " navigates."));
        }
    }

    /** A watch's pair clock: closing it stops the swap prompts. */
    interface Clock extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * For a watch: prints who drives, then checks every second for a swap that fell due and prompts
     * it, until closed. Nothing for a solo session or without one.
     */
    static Clock watching(Workspace workspace, String target, Terminal terminal) {
        Optional<Session> session = on(workspace, target);
        if (session.isEmpty() || session.get().driver() == null) {
            return () -> { };
        }
        promptSwaps(session.get(), terminal, Instant.now());
        roles(session.get()).ifPresent(line -> terminal.out().println(terminal.cyan(line)));
        Thread clock = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(1000);
                    promptSwaps(session.get(), terminal, Instant.now());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pair-clock");
        clock.setDaemon(true);
        clock.start();
        return clock::interrupt;
    }

    /** Logs a kata's test run in its session, if the current session is on that kata. */
    static void ranKata(Workspace workspace, String slug, dev.dojo.worker.Verdict verdict) {
        on(workspace, "kata " + slug).ifPresent(session -> session.ran(verdict.passed(), verdict.failed(),
                verdict.failing(), verdict.solved(), Instant.now()));
    }

    /** Logs a hint read for a kata in its session, if the current session is on that kata. */
    static void hintKata(Workspace workspace, String slug, int hint) {
        on(workspace, "kata " + slug).ifPresent(session -> session.hint(hint, Instant.now()));
    }

    /** The report with the current session's timeline, if that session is on kata {@code slug}. */
    static HtmlReport withRetro(HtmlReport report, Workspace workspace, String slug) {
        dev.dojo.report.Timeline timeline = timeline(workspace, slug);
        return timeline == null ? report : report.withTimeline(timeline);
    }

    /** The timeline of the pair's session on kata {@code slug}, or null when there is none. */
    static dev.dojo.report.Timeline timeline(Workspace workspace, String slug) {
        return on(workspace, "kata " + slug).map(s -> Retros.of(workspace, s, Instant.now()).timeline()).orElse(null);
    }
}
