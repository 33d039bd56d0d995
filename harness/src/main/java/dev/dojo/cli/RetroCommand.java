package dev.dojo.cli;

import dev.dojo.drills.DrillReport;
import dev.dojo.drills.DrillWorkspace;
import dev.dojo.session.Retro;
import dev.dojo.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "retro", description = "The session's timeline on one page: what was tried and when, who drove, when"
        + " the evidence changed, which hypothesis was right. Also written into the HTML report.")
final class RetroCommand implements Callable<Integer> {
    @ParentCommand
    Dojo dojo;

    @Option(names = "--session", paramLabel = "ID", description = "another session than the current one")
    String id;

    @Option(names = {"-o", "--output"}, description = "the report to write (default: .dojo/reports/<drill or kata>.html)")
    Path output;

    @Override
    public Integer call() throws IOException {
        Terminal t = dojo.terminal;
        Path sessions = Pairing.sessions(dojo.workspace);
        Session session = (id == null ? Session.current(sessions) : Session.named(sessions, id))
                .orElseThrow(() -> new UserError(id == null ? "no session yet: ./kata blind draws a drill, ./kata"
                        + " start <slug> starts a kata" : "no session '" + id + "' under " + sessions));
        Retro retro = Retros.of(dojo.workspace, session, Instant.now());
        t.out().print(retro.text());
        String target = session.target();
        String name = target.substring(target.indexOf(' ') + 1);
        Path file = output != null ? output : dojo.workspace.dojo().resolve("reports").resolve(
                (target.startsWith("drill ") ? "drill-" : "") + name + ".html");
        if (target.startsWith("drill ")) {
            DrillWorkspace drill = Drilling.drill(dojo.workspace, name);
            try {
                t.out().println("wrote " + DrillReport.write(drill, retro.timeline(), file));
            } catch (IllegalStateException e) {
                t.err().println("dojo: the report needs the drill to compile; the timeline above is all there is"
                        + " for now:\n" + e.getMessage().indent(2).stripTrailing());
                return 1;
            }
            return 0;
        }
        // a kata's report is ./kata report's page, which adds the current session's timeline
        session.makeCurrent();
        return Dojo.commandLine(dojo.workspace, t, dojo.in, dojo.workers).execute("report", name, "-o", file.toString());
    }
}
