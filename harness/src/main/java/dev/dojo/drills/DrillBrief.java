package dev.dojo.drills;

/**
 * What a pair is told about a drill before it is solved: the part, the model, the first case and the
 * files, never the bug, its class, its step or a suggestion.
 */
public final class DrillBrief {
    private DrillBrief() {}

    /** One sentence: what the drill is. */
    public static String what(Drill drill) {
        return "A reference " + noun(drill.part()) + " with one bug planted in it. Its tests and probes show where it"
                + " diverges from the reference; find the bug, fix it, and say what it was.";
    }

    /** The model and, for an attention or a block, the first case's mask, in one or two lines. */
    public static String model(Drill drill) {
        String model = "Model: " + drill.config().describe() + ".";
        DrillPart part = drill.part();
        if (part == DrillPart.ATTENTION || part == DrillPart.BLOCK) {
            model += "\nFirst case: " + DrillConfig.BATCH + " sequences of " + DrillConfig.TOKENS + " tokens, with "
                    + drill.config().layout() + ".";
        }
        return model;
    }

    /** The drill folder's README.md. */
    static String readme(Drill drill, String options) {
        String sources = "src/main/java/" + Planter.PACKAGE.replace('.', '/') + "/";
        String tests = "src/test/java/" + Planter.PACKAGE.replace('.', '/') + "/";
        return "# Drill " + drill.id() + "\n\n"
                + what(drill) + "\n\n"
                + model(drill) + "\n\n"
                + "Drawn with `./kata blind " + options + "`: the same command draws this drill again, anywhere.\n\n"
                + "## Files\n\n"
                + "- `" + sources + drill.part().className() + ".java`: the part, the file to fix\n"
                + "- `" + tests + DrillWorkspace.testClass(drill.part()) + ".java`: its tests, the contract `"
                + DrillWorkspace.contract(drill.part()).getName() + "` in the harness\n"
                + "- `" + tests + "DrillCase.java`: the model and the first case the tests and probes run\n\n"
                + "## Commands\n\n"
                + "```\n"
                + "./kata drill watch        reruns the tests and probes on every save\n"
                + "./kata drill test         runs them once\n"
                + "./kata guess \"...\"        records a hypothesis, with its time\n"
                + "./kata drill hint         hint 1, 2, 3: each narrows the search\n"
                + "./kata giveup             reveals the bug and the fix\n"
                + "./kata retro              the session's timeline\n"
                + "```\n\n"
                + "Solved means: every test passes and every probe that applies holds. Then the bug is revealed.\n";
    }

    private static String noun(DrillPart part) {
        return switch (part) {
            case ATTENTION -> "self-attention (Attention.java)";
            case ROTARY -> "rotary position embedding (RotaryEmbedding.java)";
            case LAYER_NORM -> "LayerNorm (LayerNorm.java)";
            case RMS_NORM -> "RMSNorm (RmsNorm.java)";
            case BLOCK -> "transformer block (TransformerBlock.java)";
        };
    }
}
