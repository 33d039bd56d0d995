package dev.dojo.cli;

import dev.dojo.kata.Integrity;
import dev.dojo.kata.Kata;
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
        List<Integrity.Report> reports = new ArrayList<>();
        for (int i = 0; i < katas.size(); i++) {
            Kata kata = katas.get(i);
            progressBar(t, i, katas.size(), kata.slug());
            compile(kata);
            reports.add(Integrity.check(kata));
        }
        progressBar(t, katas.size(), katas.size(), "done");
        t.err().println();
        boolean valid = true;
        for (Integrity.Report report : reports) {
            t.out().println(report.valid() ? report.row() : t.red(report.row()));
            for (Integrity.WrongFixVerdict fix : report.wrongFixes()) {
                t.out().println("    " + (fix.rejected() ? t.green("✓ ") : t.red("✗ ")) + fix.line());
            }
            for (String problem : report.problems()) {
                t.out().println("    " + t.red("✗ ") + problem);
            }
            valid &= report.valid();
        }
        t.out().println(valid ? t.green(reports.size() + " katas valid") : t.red("some katas are not valid"));
        return valid ? 0 : 1;
    }

    private static void compile(Kata kata) {
        try {
            KataCompiler.compileIfStale(kata.kataDir(), kata.kataDir().resolve("src/test/java"));
        } catch (KataCompiler.CompileError e) {
            throw new UserError(kata.slug() + " does not compile:\n" + e.getMessage().indent(2).stripTrailing(), 1);
        }
    }

    private static void progressBar(Terminal t, int done, int total, String what) {
        int width = 24;
        int filled = total == 0 ? width : done * width / total;
        t.err().print("\r[" + "█".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total + " "
                + String.format("%-24s", what));
        t.err().flush();
    }
}
