package dev.dojo.drills;

import ai.djl.ndarray.NDManager;
import dev.dojo.engine.Engines;
import dev.dojo.variants.Variant;
import dev.dojo.variants.Variants;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plants a known-bad variant's bug in the source of the reference part it breaks. A variant is a
 * subclass of a reference part that overrides one step; its drill is the reference class's source
 * text, moved into the drill's package, with that one method's body replaced by the override's.
 * Nothing else differs: no variant name, comment or import that only the bug would need (every
 * drill of a part shares one import block), and the override's calls to accessors read the
 * fields directly, as the reference's own code does.
 */
public final class Planter {
    /** The package every drill's classes are in. */
    public static final String PACKAGE = "dojo.drill";

    private static final Pattern FIELD = Pattern.compile("^ {4}private (?:final )?[\\w<>\\[\\], .]+ (\\w+);");
    private static final Map<String, Planted> PLANTED = new ConcurrentHashMap<>();
    private static final Map<String, Class<?>> CLASSES = new ConcurrentHashMap<>();

    private Planter() {}

    /**
     * The drill source of {@code variant}: the reference source, moved, with the overridden step's
     * body replaced. Cached: the sources do not change while the harness runs.
     */
    public static Planted plant(Variant variant) {
        return PLANTED.computeIfAbsent(variant.name(), name -> plantNow(variant));
    }

    /** The reference source of {@code part}, moved into the drill's package exactly as every drill of it is. */
    public static String reference(DrillPart part) {
        return move(part, new JavaSource(part.className(), Sources.of(part.reference())).lines());
    }

    /** The name of the one method {@code variant}'s class overrides in its reference part. */
    public static String step(Variant variant) {
        return overridden(DrillPart.of(variant), variantClass(variant)).getName();
    }

    private static Planted plantNow(Variant variant) {
        DrillPart part = DrillPart.of(variant);
        Class<?> type = variantClass(variant);
        String step = overridden(part, type).getName();
        JavaSource reference = new JavaSource(part.className(), Sources.of(part.reference()));
        JavaSource bugged = new JavaSource(type.getSimpleName(), Sources.of(type));
        JavaSource.Body at = reference.body(step);
        JavaSource.Body from = bugged.body(step);
        List<String> body = readingFields(reference, bugged.lines().subList(from.open() + 1, from.close()));
        List<String> lines = new ArrayList<>(reference.lines().subList(0, at.open() + 1));
        lines.addAll(body);
        lines.addAll(reference.lines().subList(at.close(), reference.lines().size()));
        String referenceText = reference(part);
        String drill = move(part, lines);
        int shift = headerShift(part, reference);
        return new Planted(variant, part, step, drill, referenceText, at.open() + 2 + shift,
                at.open() + 1 + body.size() + shift, at.open() + 2 + shift, at.close() + shift);
    }

    /** The class of the part a variant's kit builds. */
    static Class<?> variantClass(Variant variant) {
        return CLASSES.computeIfAbsent(variant.name(), name -> {
            try (NDManager manager = Engines.newManager()) {
                return DrillPart.of(variant).sample(variant.kit(), manager).getClass();
            }
        });
    }

    /** The one method {@code type} declares that overrides a method of {@code part}'s reference class. */
    static Method overridden(DrillPart part, Class<?> type) {
        if (type.getSuperclass() != part.reference()) {
            throw new IllegalStateException(type.getSimpleName() + " must extend " + part.className()
                    + " directly, to override one of its steps");
        }
        List<Method> methods = Arrays.stream(type.getDeclaredMethods())
                .filter(m -> !m.isSynthetic() && !Modifier.isStatic(m.getModifiers())).toList();
        if (methods.size() != 1) {
            throw new IllegalStateException(type.getSimpleName() + " must override exactly one step of "
                    + part.className() + ", not " + methods.stream().map(Method::getName).toList());
        }
        Method method = methods.get(0);
        try {
            part.reference().getDeclaredMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getSimpleName() + "." + method.getName() + " overrides no step of "
                    + part.className(), e);
        }
        return method;
    }

    /** In {@code body}, a call of an accessor of the reference's own field becomes the field: {@code eps()} → {@code eps}. */
    private static List<String> readingFields(JavaSource reference, List<String> body) {
        List<String> fields = new ArrayList<>();
        String referenceCode = reference.code();
        for (String line : reference.lines()) {
            Matcher m = FIELD.matcher(line);
            if (m.find() && Pattern.compile("\\b" + m.group(1) + "\\(\\)\\s*\\{").matcher(referenceCode).find()) {
                fields.add(m.group(1));
            }
        }
        List<String> read = new ArrayList<>();
        for (String line : body) {
            int comment = commentStart(line);
            String code = comment < 0 ? line : line.substring(0, comment);
            String fieldsRead = code;
            for (String field : fields) {
                fieldsRead = fieldsRead.replaceAll("(?<![\\w.])" + field + "\\(\\)", field);
            }
            if (comment >= 0 && !fieldsRead.equals(code) && code.endsWith(" ")) {
                fieldsRead += " ".repeat(code.length() - fieldsRead.length());      // the comment keeps its column
            }
            read.add(comment < 0 ? fieldsRead : fieldsRead + line.substring(comment));
        }
        return read;
    }

    /** Where a line's trailing comment starts, or -1. */
    private static int commentStart(String line) {
        String code = JavaSource.blank(line);
        for (int i = 0; i + 1 < line.length(); i++) {
            if (line.startsWith("//", i) && code.charAt(i) == ' ') {
                return i;
            }
        }
        return -1;
    }

    /** How many lines moving a part's source adds above its body (its import block may grow or shrink). */
    private static int headerShift(DrillPart part, JavaSource reference) {
        return move(part, reference.lines()).split("\n", -1).length - reference.lines().size();
    }

    /**
     * {@code lines} of {@code part}'s source in the drill's package: the package line renamed, and the
     * imports replaced by one block shared by every drill of the part (the reference's own imports,
     * the reference types it used from its own package, and what any variant's step needs).
     */
    private static String move(DrillPart part, List<String> lines) {
        List<String> out = new ArrayList<>();
        int firstImport = -1;
        int lastImport = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("import ")) {
                firstImport = firstImport < 0 ? i : firstImport;
                lastImport = i;
            }
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("package ")) {
                out.add("package " + PACKAGE + ";");
            } else if (i == firstImport) {
                out.addAll(importBlock(part));
            } else if (i < firstImport || i > lastImport) {
                out.add(line);
            }
        }
        return String.join("\n", out);
    }

    private static final Map<DrillPart, List<String>> IMPORTS = new ConcurrentHashMap<>();

    private static List<String> importBlock(DrillPart part) {
        return IMPORTS.computeIfAbsent(part, p -> {
            JavaSource reference = new JavaSource(p.className(), Sources.of(p.reference()));
            TreeSet<String> imports = new TreeSet<>(reference.imports());
            String code = reference.code();
            for (String type : Sources.typesBeside(p.reference())) {
                if (!type.equals(p.className()) && Pattern.compile("\\b" + type + "\\b").matcher(code).find()) {
                    imports.add(p.reference().getPackageName() + "." + type);
                }
            }
            for (Variant v : Drills.plantable()) {
                if (DrillPart.of(v) == p) {
                    for (String name : new JavaSource(v.name(), Sources.of(variantClass(v))).imports()) {
                        if (!name.startsWith("dev.dojo.variants.") && !name.startsWith(p.reference().getName())) {
                            imports.add(name);
                        }
                    }
                }
            }
            List<String> block = new ArrayList<>();
            List<String> jdk = new ArrayList<>();
            for (String name : imports) {
                (name.startsWith("java.") || name.startsWith("javax.") ? jdk : block).add("import " + name + ";");
            }
            if (!jdk.isEmpty()) {
                block.add("");
                block.addAll(jdk);
            }
            return List.copyOf(block);
        });
    }
}
