package dev.dojo.drills;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.dojo.kata.Javac;
import dev.dojo.variants.Variant;
import dev.dojo.variants.Variants;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;

/**
 * A drill's folder, {@code .dojo/drills/<id>/}, laid out like a kata: the part's source under
 * {@code src/main/java}, its tests and its case under {@code src/test/java}, compiled into
 * {@code target/classes} and run, in a worker JVM, with the katas' test runner and probe gate.
 * {@code drill.json} keeps what was drawn, with the bug's name sealed so that a glance at the file
 * does not spoil it.
 */
public final class DrillWorkspace {
    /** The class every drill's tests and probes start from. */
    public static final String CASE = Planter.PACKAGE + ".DrillCase";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** What drill.json holds. */
    record Record(String id, long seed, String drawn, String options, DrillConfig config, String sealed) {}

    private final Path folder;
    private final Drill drill;
    private final Record record;

    private DrillWorkspace(Path folder, Drill drill, Record record) {
        this.folder = folder;
        this.drill = drill;
        this.record = record;
    }

    /**
     * The workspace of {@code drill} under {@code drills}: written when new, with the planted source,
     * the tests and the case; kept as it is (the pair's edits too) when the same drill was drawn before.
     * {@code options} are the draw's options, said again when the drill is shown.
     */
    public static DrillWorkspace create(Path drills, Drill drill, String options, Instant now) {
        Path folder = drills.resolve(drill.id());
        if (Files.isRegularFile(folder.resolve("drill.json"))) {
            return open(drills, drill.id());
        }
        Record record = new Record(drill.id(), drill.seed(), now.toString(), options, drill.config(),
                seal(drill.variant().name()));
        DrillWorkspace workspace = new DrillWorkspace(folder, drill, record);
        Planted planted = drill.planted();
        workspace.write(workspace.source(), planted.source());
        workspace.write(workspace.tests(), testSource(drill.part()));
        workspace.write(workspace.testFolder().resolve("DrillCase.java"), caseSource(drill));
        workspace.write(folder.resolve("README.md"), DrillBrief.readme(drill, options));
        workspace.write(folder.resolve("drill.json"), GSON.toJson(record));
        return workspace;
    }

    /** The drill {@code id} under {@code drills}, as drill.json recorded it. */
    public static DrillWorkspace open(Path drills, String id) {
        Path folder = drills.resolve(id);
        Path file = folder.resolve("drill.json");
        if (!id.matches("[0-9a-f]{6}") || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no drill '" + id + "' under " + drills);
        }
        try {
            Record record = GSON.fromJson(Files.readString(file), Record.class);
            String name = unseal(record.sealed());
            Variant variant = Variants.named(name).orElseThrow(() -> new IllegalArgumentException("drill " + id
                    + " was drawn from a bug this harness no longer has; draw another with ./kata blind"));
            Drill drill = new Drill(record.id(), record.seed(), variant, Planter.step(variant), record.config());
            return new DrillWorkspace(folder, drill, record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + " is not a drill record (" + e.getMessage() + ")", e);
        }
    }

    /** The ids of the drills under {@code drills}, oldest drawn first. */
    public static List<String> ids(Path drills) {
        if (!Files.isDirectory(drills)) {
            return List.of();
        }
        List<DrillWorkspace> found = new ArrayList<>();
        try (var folders = Files.list(drills)) {
            for (Path folder : folders.filter(f -> Files.isRegularFile(f.resolve("drill.json"))).toList()) {
                try {
                    found.add(open(drills, folder.getFileName().toString()));
                } catch (IllegalArgumentException e) {
                    // a folder that is not a drill of this harness: not listed
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + drills, e);
        }
        found.sort((a, b) -> a.record.drawn().compareTo(b.record.drawn()));
        return found.stream().map(w -> w.drill.id()).toList();
    }

    public Drill drill() {
        return drill;
    }

    public Path folder() {
        return folder;
    }

    /** When the drill was first drawn. */
    public Instant drawn() {
        return Instant.parse(record.drawn());
    }

    /** The options it was drawn with, as a pair would type them again: "--seed 48213 --topic rope". */
    public String options() {
        return record.options();
    }

    /** The part's source, the file the pair edits. */
    public Path source() {
        return folder.resolve("src/main/java").resolve(Planter.PACKAGE.replace('.', '/')).resolve(
                drill.part().className() + ".java");
    }

    /** The test class, which holds the part to its contract. */
    public Path tests() {
        return testFolder().resolve(testClass(drill.part()) + ".java");
    }

    private Path testFolder() {
        return folder.resolve("src/test/java").resolve(Planter.PACKAGE.replace('.', '/'));
    }

    /**
     * Compiles the drill's sources, part and tests, into a fresh {@code target/classes}, and returns it.
     *
     * @throws IllegalStateException with the compiler's errors when they do not compile
     */
    public Path compile() {
        try {
            return compile(folder);
        } catch (Javac.CompileError e) {
            throw new IllegalStateException("drill " + drill.id() + " does not compile:\n" + e.getMessage(), e);
        }
    }

    /**
     * Compiles the sources of the drill in {@code folder}, part and tests, into a fresh
     * {@code target/classes}, and returns it: what a worker does before it runs a drill.
     *
     * @throws Javac.CompileError with the compiler's errors when they do not compile
     */
    public static Path compile(Path folder) throws Javac.CompileError {
        Path classes = folder.resolve("target/classes");
        List<Path> sources = new ArrayList<>(Javac.sources(folder.resolve("src/main/java")));
        sources.addAll(Javac.sources(folder.resolve("src/test/java")));
        if (sources.isEmpty()) {
            throw new Javac.CompileError("no Java sources under " + folder.resolve("src"));
        }
        Javac.clear(classes);
        Javac.compile(sources, classes, System.getProperty("java.class.path"));
        return classes;
    }

    /** The test class's simple name for a part: "AttentionTest". */
    static String testClass(DrillPart part) {
        return part.className() + "Test";
    }

    /** The contract a part's tests extend. */
    static Class<?> contract(DrillPart part) {
        return switch (part) {
            case ATTENTION -> AttentionContract.class;
            case ROTARY -> RotaryContract.class;
            case LAYER_NORM, RMS_NORM -> NormContract.class;
            case BLOCK -> BlockContract.class;
        };
    }

    /** The case class a part's DrillCase extends. */
    static Class<?> caseClass(DrillPart part) {
        return switch (part) {
            case ATTENTION -> AttentionCase.class;
            case ROTARY -> RotaryCase.class;
            case LAYER_NORM -> LayerNormCase.class;
            case RMS_NORM -> RmsNormCase.class;
            case BLOCK -> BlockCase.class;
        };
    }

    static String testSource(DrillPart part) {
        Class<?> contract = contract(part);
        return "package " + Planter.PACKAGE + ";\n\n"
                + "import " + contract.getName() + ";\n\n"
                + "/** The " + part.className() + "'s whole contract, as " + contract.getSimpleName()
                + " in the harness lists it, on this drill's case. */\n"
                + "class " + testClass(part) + " extends " + contract.getSimpleName() + " {\n\n"
                + "    " + testClass(part) + "() {\n"
                + "        super(new DrillCase());\n"
                + "    }\n"
                + "}\n";
    }

    static String caseSource(Drill drill) {
        DrillPart part = drill.part();
        TreeSet<String> imports = new TreeSet<>();
        imports.add(caseClass(part).getName());
        String config = drill.config().java(imports);
        String make = switch (part) {
            case BLOCK -> "(placement, norm1, attention, norm2, feedForward) -> new TransformerBlock(\n"
                    + "                TransformerBlock.Placement.valueOf(placement.name()), norm1, attention, norm2, feedForward)";
            default -> part.className() + "::new";
        };
        StringBuilder s = new StringBuilder("package " + Planter.PACKAGE + ";\n\n");
        imports.forEach(i -> s.append("import ").append(i).append(";\n"));
        s.append("\n/**\n * This drill's case: its ").append(part.className()).append(" against the reference, in a model with\n * ")
                .append(drill.config().describe()).append(".\n");
        if (part == DrillPart.ATTENTION || part == DrillPart.BLOCK) {
            s.append(" * The first case is a batch of ").append(DrillConfig.BATCH).append(" sequences of ")
                    .append(DrillConfig.TOKENS).append(" tokens with ").append(drill.config().layout()).append(".\n");
        }
        s.append(" * The tests and the probes run from here; --seed N reruns them at another seed.\n */\n")
                .append("public final class DrillCase extends ").append(caseClass(part).getSimpleName()).append(" {\n")
                .append("    static final DrillConfig CONFIG = ").append(config).append(";\n")
                .append("    static final long SEED = ").append(drill.seed()).append(";\n\n")
                .append("    public DrillCase() {\n")
                .append("        super(CONFIG, SEED, ").append(make).append(");\n")
                .append("    }\n}\n");
        return s.toString();
    }

    private void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text.endsWith("\n") ? text : text + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String seal(String name) {
        return Base64.getEncoder().encodeToString(new StringBuilder(name).reverse().toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    static String unseal(String sealed) {
        try {
            return new StringBuilder(new String(Base64.getDecoder().decode(sealed), StandardCharsets.UTF_8)).reverse()
                    .toString();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("its sealed bug is unreadable", e);
        }
    }
}
