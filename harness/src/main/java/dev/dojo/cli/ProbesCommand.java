package dev.dojo.cli;

import dev.dojo.variants.KillMatrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "probes", description = "The kill matrix: every probe against every known-bad variant and the reference.")
final class ProbesCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Override
    public Integer call() {
        KillMatrix matrix = KillMatrix.standard();
        dojo.terminal.out().print(matrix.render());
        boolean holds = matrix.referenceFailures().isEmpty() && matrix.survivors().isEmpty()
                && matrix.idleProbes().isEmpty();
        return holds ? 0 : 1;
    }
}
