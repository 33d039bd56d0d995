package dev.dojo.cli;

import dev.dojo.kata.Catalogue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "catalogue", description = "Print the README's catalogue table from the katas' kata.json (--write updates README.md).")
final class CatalogueCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Option(names = "--write", description = "rewrite the table in README.md instead of printing it")
    boolean write;

    @Override
    public Integer call() {
        Path readme = dojo.workspace.root().resolve("README.md");
        if (!write) {
            dojo.terminal.out().print(Catalogue.table(dojo.workspace.katas()));
            return 0;
        }
        boolean changed = Catalogue.write(readme, dojo.workspace.katas());
        dojo.terminal.out().println(changed ? "updated the catalogue in " + readme : "the catalogue in " + readme
                + " is up to date");
        return 0;
    }
}
