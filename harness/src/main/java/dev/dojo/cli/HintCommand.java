package dev.dojo.cli;

import dev.dojo.kata.Kata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "hint", description = "The next hint, one at a time (or hint number n); each narrows the search.")
final class HintCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Parameters(index = "0", paramLabel = "<slug>", description = "the kata")
    String slug;

    @Parameters(index = "1", arity = "0..1", paramLabel = "n", description = "which hint (default: the next one)")
    Integer number;

    @Override
    public Integer call() {
        Kata kata = dojo.kata(slug);
        slug = kata.slug();
        Terminal t = dojo.terminal;
        Progress progress = dojo.workspace.progress();
        Briefing briefing = Briefing.read(kata);
        int count = briefing.hints().size();
        int shown = progress.entry(slug).hints;
        int n = number != null ? number : Math.min(shown + 1, count);
        if (count == 0) {
            throw new UserError("kata " + slug + " has no hints");
        }
        if (n < 1 || n > count) {
            throw new UserError("kata " + slug + " has hints 1 to " + count + ", not " + n);
        }
        t.out().println(t.bold("Hint " + n + " of " + count));
        t.out().println(briefing.hints().get(n - 1));
        if (number == null && shown >= count) {
            t.out().println(t.dim("(that was the last hint; ./kata solution " + slug + " shows the fix)"));
        }
        progress.hintShown(slug, n);
        Pairing.hintKata(dojo.workspace, slug, n);
        if (n == count && shown < count) {
            t.out().println(t.dim("From now on ./kata test and watch also name the bug classes the evidence fits."));
        }
        return 0;
    }
}
