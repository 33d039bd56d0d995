package dev.dojo.cli;

import dev.dojo.daemon.Remote;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.concurrent.Callable;

@Command(name = "stop", description = "Stop the background process that keeps a worker warm between calls"
        + " (it stops by itself after 30 idle minutes).")
final class StopCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Override
    public Integer call() throws IOException {
        boolean stopped = new Remote(dojo.workspace.root(), DaemonMain.class.getName()).stop();
        dojo.terminal.out().println(stopped ? "dojo: the background process stopped" : "dojo: no background process was running");
        return 0;
    }
}
