package dev.dojo.cli;

import dev.dojo.session.Retro;
import dev.dojo.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "guess", description = "Record a hypothesis, with its time, for the current drill or kata;"
        + " --right N says which was right once the bug is revealed.")
final class GuessCommand implements Callable<Integer> {
    /** A hypothesis is a sentence, not an essay. */
    static final int MAX_LENGTH = 300;

    @ParentCommand
    Dojo dojo;

    @Parameters(arity = "0..1", paramLabel = "\"<hypothesis>\"", description = "what you think is wrong, in a sentence")
    String hypothesis;

    @Option(names = "--right", paramLabel = "N", description = "hypothesis N was the right one (0: none was)")
    Integer right;

    @Override
    public Integer call() {
        Terminal t = dojo.terminal;
        Session session = Session.current(Pairing.sessions(dojo.workspace)).orElseThrow(() -> new UserError(
                "no session to record it in: ./kata blind draws a drill, ./kata start <slug> starts a kata"));
        Instant now = Instant.now();
        Pairing.promptSwaps(session, t, now);
        if (right != null) {
            if (hypothesis != null) {
                throw new UserError("give either a hypothesis or --right N, not both");
            }
            int count = session.guesses().size();
            if (count == 0) {
                throw new UserError("no hypothesis recorded yet: ./kata guess \"...\" records one");
            }
            if (right < 0 || right > count) {
                throw new UserError("--right takes a hypothesis number from 1 to " + count + ", or 0 for none, not " + right);
            }
            if (session.target().startsWith("drill ") && session.revelation().isEmpty()) {
                throw new UserError("the drill's bug is not revealed yet: say which hypothesis was right once it is"
                        + " solved (or after ./kata giveup)");
            }
            session.right(right, now);
            t.out().println(right == 0 ? "Recorded: no hypothesis was right." : "Recorded: hypothesis " + right
                    + " was the right one.");
            return 0;
        }
        if (hypothesis == null || hypothesis.isBlank()) {
            throw new UserError("say the hypothesis in quotes: ./kata guess \"the mask hides the wrong axis\"");
        }
        String text = hypothesis.strip().replaceAll("\\s+", " ");
        if (text.length() > MAX_LENGTH) {
            throw new UserError("a hypothesis is one sentence: at most " + MAX_LENGTH + " characters, not " + text.length());
        }
        int number = session.guess(text, now);
        String who = session.driver() == null ? "" : " (" + session.driver() + " driving)";
        t.out().println("Hypothesis " + number + " recorded at " + Retro.clock(Duration.between(session.started(), now))
                + who + ": “" + text + "”");
        t.out().println(t.dim("Test it: change the code and watch the evidence. The bug is named when the "
                + (session.target().startsWith("drill ") ? "drill is solved, or on ./kata giveup." : "kata is solved.")));
        return 0;
    }
}
