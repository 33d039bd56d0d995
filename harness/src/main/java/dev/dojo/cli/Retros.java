package dev.dojo.cli;

import dev.dojo.drills.DrillWorkspace;
import dev.dojo.session.Retro;
import dev.dojo.session.Session;

import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/** The retro of a session, a drill's or a kata's, titled and judged as each needs. */
final class Retros {
    private Retros() {}

    /**
     * A drill's retro marks the right hypothesis and names the bug only once it was revealed; a kata's
     * marks the one the pair said was right ({@code ./kata guess --right N}).
     */
    static Retro of(Workspace workspace, Session session, Instant now) {
        String who = session.pair().isEmpty() ? "" : " · " + String.join(" & ", session.pair());
        String target = session.target();
        if (target.startsWith("drill ")) {
            DrillWorkspace drill = Drilling.drill(workspace, target.substring("drill ".length()));
            String title = "Retro · drill " + drill.drill().id() + who;
            if (session.revelation().isEmpty()) {
                return Retro.of(session, title, OptionalInt.empty(), "", List.of(), now);
            }
            Drilling.Right right = Drilling.right(session, drill.drill());
            List<String> bug = List.of("The bug: " + drill.drill().variant().bug() + " (" + drill.drill().variant()
                    .family() + ", in " + drill.drill().planted().where() + ").");
            return Retro.of(session, title, OptionalInt.of(right.number()), right.why(), bug, now);
        }
        OptionalInt said = session.saidRight();
        return Retro.of(session, "Retro · " + target + who, said, said.isPresent() ? "the pair's say" : "", List.of(),
                now);
    }
}
