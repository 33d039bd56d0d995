package dev.dojo.cli;

import dev.dojo.drills.DrillWorkspace;
import dev.dojo.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "giveup", description = "Reveal the current drill's bug: what it is, its class, the step and the fix.")
final class GiveUpCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Override
    public Integer call() {
        Session session = Session.current(Pairing.sessions(dojo.workspace)).orElseThrow(() -> new UserError(
                "no drill in progress: ./kata blind draws one"));
        if (!session.target().startsWith("drill ")) {
            throw new UserError("giveup reveals a drill's bug; the current session is on " + session.target()
                    + ": ./kata solution <slug> shows a kata's fix");
        }
        DrillWorkspace drill = Drilling.drill(dojo.workspace, session.target().substring("drill ".length()));
        boolean already = session.revelation().isPresent();
        Drilling.reveal(drill, session, dojo.terminal, already ? session.revelation().get().text() : "gave up");
        dojo.terminal.out().println(dojo.terminal.dim("Put the fix in and ./kata drill test: it should pass."));
        return 0;
    }
}
