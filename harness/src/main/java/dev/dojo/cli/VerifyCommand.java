package dev.dojo.cli;

import dev.dojo.kata.Integrity;
import dev.dojo.kata.Kata;
import dev.dojo.worker.Event;
import dev.dojo.worker.Request;
import dev.dojo.worker.Workers;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "verify", description = "Facilitator: every kata fails as declared on its broken source and passes on its solution.")
final class VerifyCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Override
    public Integer call() {
        Terminal t = dojo.terminal;
        List<Kata> katas = dojo.workspace.katas();
        List<Event.IntegrityRow> rows = new ArrayList<>();
        for (int i = 0; i < katas.size(); i++) {
            Kata kata = katas.get(i);
            progressBar(t, i, katas.size(), kata.slug());
            rows.add(check(kata));
        }
        progressBar(t, katas.size(), katas.size(), "done");
        t.err().println();
        boolean valid = true;
        for (Event.IntegrityRow row : rows) {
            t.out().println(row.valid() ? row.row() : t.red(row.row()));
            for (Integrity.WrongFixVerdict fix : row.wrongFixes()) {
                t.out().println("    " + (fix.rejected() ? t.green("✓ ") : t.red("✗ ")) + fix.line());
            }
            for (String problem : row.problems()) {
                t.out().println("    " + t.red("✗ ") + problem);
            }
            valid &= row.valid();
        }
        t.out().println(valid ? t.green(rows.size() + " katas valid") : t.red("some katas are not valid"));
        return valid ? 0 : 1;
    }

    /** The kata's integrity check, run in a worker since it runs the kata's code; a stopped check is an invalid row. */
    private Event.IntegrityRow check(Kata kata) {
        Workers.Answer answer = dojo.workers.verify(new Request.Verify(dojo.workspace.root().toString(), kata.slug()),
                dojo.terminal.err()::println);
        if (answer.compileErrors() != null) {
            throw new UserError(kata.slug() + " does not compile:\n" + answer.compileErrors().indent(2).stripTrailing(), 1);
        }
        if (answer.stop() != null) {
            return new Event.IntegrityRow(kata.slug(), String.format("%-22s ✗ the check did not finish", kata.slug()),
                    false, List.of(), List.of(answer.stop().message()));
        }
        return answer.row();
    }

    private static void progressBar(Terminal t, int done, int total, String what) {
        int width = 24;
        int filled = total == 0 ? width : done * width / total;
        t.err().print("\r[" + "█".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total + " "
                + String.format("%-24s", what));
        t.err().flush();
    }
}
