package dev.dojo.diagnosis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.compare.Tolerance;
import dev.dojo.kit.Kit;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Parameters;
import dev.dojo.tensor.Seeded;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where two traces of the same model part ways: each step of the reference's trace beside the
 * same step of the subject's, as the largest |Δ| over real tokens. The step named as the first
 * divergence is the one, among those beyond tolerance, where |Δ| jumps most from the step before
 * (|Δ| floored at the tolerance), so float noise that creeps past the tolerance upstream does not
 * hide the step where the code goes wrong. Steps that only pass a tensor on unchanged, on both
 * sides (or in the reference, when the subject never took them), are left out.
 *
 * @param subject    the name of the kit under test
 * @param reference  the name of the kit it is compared with
 * @param tolerance  the tolerance a step must keep
 * @param steps      the compared steps, in the reference's order
 * @param first      the index in {@code steps} of the first divergence, or -1 if no step is beyond tolerance
 * @param notReached reference steps left out after the subject threw
 * @param extra      the subject's steps the reference has no counterpart for, as "block 0 · attention norm (call 2)"
 */
public record Localization(String subject, String reference, Tolerance tolerance, List<StepDivergence> steps,
                           int first, int notReached, List<String> extra) {

    /** The parts the tiny decoder's forward pass never calls. */
    private static final Set<Kit.Part> OUTSIDE_THE_TRACE =
            EnumSet.of(Kit.Part.DECODER_BLOCK, Kit.Part.ROLLING_CACHE, Kit.Part.TILED_ATTENTION);

    /** The tolerance of a kata's golden test, used when none is given. */
    public static final Tolerance DEFAULT_TOLERANCE = Tolerance.of(1e-5, 1e-4);

    public Localization {
        steps = List.copyOf(steps);
        extra = List.copyOf(extra);
    }

    /**
     * One step compared: the largest |Δ| (infinite when the subject gave a wrong shape, a non-finite
     * value or no value, as {@code note} says), whether any value is beyond tolerance, and the jump:
     * |Δ| over the previous step's |Δ|, both floored at the tolerance.
     */
    public record StepDivergence(int block, String label, double difference, boolean beyond, double jump,
                                 String note) {
        /** "block 0 · ffn norm input", or "final norm" outside the blocks. */
        public String where() {
            return block == LayerTrace.MODEL ? label : "block " + block + " · " + label;
        }
    }

    /** The step named as the first divergence, if any step is beyond tolerance. */
    public Optional<StepDivergence> firstDivergence() {
        return first < 0 ? Optional.empty() : Optional.of(steps.get(first));
    }

    /**
     * Runs the subject's and the reference's tiny decoders on the same parameters and input and
     * compares them step by step. The reference runs in the subject's {@link dev.dojo.kit.ModelConfig}.
     */
    public static Localization run(Kit subject, Kit reference, Parameters p, LayerTrace.Input input,
                                   Tolerance tolerance) {
        Kit ref = reference.withConfig(subject.config());
        return compare(LayerTrace.decoder(subject, p, input), LayerTrace.decoder(ref, p, input), tolerance);
    }

    /**
     * As {@link #run(Kit, Kit, Parameters, LayerTrace.Input, Tolerance)} with parameters and input drawn from
     * {@code seed}; null when the subject replaces only parts the tiny decoder's one pass never calls (a
     * decoder block with cross-attention, a rolling cache, a tiled attention), since its trace would then
     * compare the reference with itself.
     */
    public static Localization run(Kit subject, Kit reference, NDManager manager, long seed, Tolerance tolerance) {
        if (!subject.replaced().isEmpty() && OUTSIDE_THE_TRACE.containsAll(subject.replaced())) {
            return null;
        }
        try (NDManager scope = manager.newSubManager()) {
            Seeded seeded = Seeded.of(scope, seed);
            Parameters p = subject.config().randomParameters(seeded);
            return run(subject, reference, p, LayerTrace.Input.drawn(seeded, subject.config()), tolerance);
        }
    }

    /**
     * One block of each kit on the same parameters and input drawn from {@code seed}: x (2, 7, C),
     * causal, the second sequence left-padded by 3.
     */
    public static Localization runBlock(Kit subject, Kit reference, NDManager manager, long seed,
                                        Tolerance tolerance) {
        try (NDManager scope = manager.newSubManager()) {
            Seeded seeded = Seeded.of(scope, seed);
            Parameters layer = subject.config().layerParameters(seeded, "");
            NDArray x = seeded.normal("trace.x", 1, 2, 7, subject.config().width());
            AttentionMask mask = LayerTrace.Input.drawn(seeded, subject.config()).mask();
            Kit ref = reference.withConfig(subject.config());
            return compare(LayerTrace.block(subject, layer, x, mask), LayerTrace.block(ref, layer, x, mask), tolerance);
        }
    }

    /** Compares the traces step by step, in the reference's order; tokens the reference marks as pads are skipped. */
    public static Localization compare(LayerTrace subject, LayerTrace reference, Tolerance tolerance) {
        Map<String, LayerTrace.Step> theirs = new LinkedHashMap<>();
        for (LayerTrace.Step s : subject.steps()) {
            theirs.put(s.key(), s);
        }
        List<StepDivergence> shown = new ArrayList<>();
        int notReached = 0;
        LayerTrace.Step previousReference = null;
        LayerTrace.Step previousSubject = null;
        double floor = tolerance.absolute() > 0 ? tolerance.absolute() : tolerance.relative();
        double previous = floor;
        for (LayerTrace.Step r : reference.steps()) {
            LayerTrace.Step s = theirs.remove(r.key());
            boolean referencePassesOn = previousReference != null && identical(r, previousReference);
            boolean passesOn = s == null ? referencePassesOn : previousReference == null
                    ? r.input() && identical(s, r)
                    : referencePassesOn && previousSubject != null && identical(s, previousSubject);
            previousReference = r;
            previousSubject = s;
            if (passesOn) {
                continue;
            }
            double difference;
            boolean beyond;
            String note = "";
            if (s == null) {
                if (!subject.failure().isEmpty() && shown.stream().anyMatch(d -> d.note().startsWith("threw"))) {
                    notReached++;
                    continue;
                }
                difference = Double.POSITIVE_INFINITY;
                beyond = true;
                note = subject.failure().isEmpty() ? "not called" : subject.failure();
            } else if (!Arrays.equals(s.shape(), r.shape())) {
                difference = Double.POSITIVE_INFINITY;
                beyond = true;
                note = "shape " + shape(s.shape()) + ", expected " + shape(r.shape());
            } else {
                double[] measured = measure(s, r, reference.real(), tolerance);
                difference = measured[0];
                beyond = measured[1] > 0;
                note = Double.isNaN(difference) ? "NaN" : Double.isInfinite(difference) ? "Inf" : "";
                difference = Double.isNaN(difference) ? Double.POSITIVE_INFINITY : difference;
            }
            double floored = Math.max(difference, floor);
            double jump = Double.isInfinite(previous) ? 1 : floored / previous;
            previous = floored;
            shown.add(new StepDivergence(r.block(), r.label(), difference, beyond, jump, note));
        }
        int first = -1;
        for (int i = 0; i < shown.size(); i++) {
            if (shown.get(i).beyond() && (first < 0 || shown.get(i).jump() > shown.get(first).jump())) {
                first = i;
            }
        }
        List<String> extra = new ArrayList<>();
        for (LayerTrace.Step s : theirs.values()) {
            extra.add(s.block() == LayerTrace.MODEL ? s.label() : "block " + s.block() + " · " + s.label());
        }
        return new Localization(subject.kit(), reference.kit(), tolerance, shown, first, notReached, extra);
    }

    /** {largest |Δ| (NaN or Inf if the subject's values are), 1 if any value is beyond tolerance else 0}, over real tokens. */
    private static double[] measure(LayerTrace.Step s, LayerTrace.Step r, LayerTrace.RealTokens real,
                                    Tolerance tolerance) {
        long[] shape = r.shape();
        boolean byToken = real != null && shape.length >= 2 && shape[0] == real.batch() && shape[1] == real.tokens();
        int inner = byToken ? Math.max(1, r.values().length / (real.batch() * real.tokens())) : 1;
        double largest = 0;
        boolean beyond = false;
        for (int i = 0; i < r.values().length; i++) {
            if (byToken && !real.real()[i / inner]) {
                continue;
            }
            float a = s.values()[i];
            float e = r.values()[i];
            if (!Float.isFinite(a) || !Float.isFinite(e)) {
                if (!Double.isNaN(largest)) {
                    largest = Float.isNaN(a) || Float.isNaN(e) ? Double.NaN : Double.POSITIVE_INFINITY;
                }
                beyond = true;
                continue;
            }
            double d = Math.abs(a - e);
            if (!Double.isNaN(largest)) {
                largest = Math.max(largest, d);
            }
            beyond |= tolerance.ratio(a, e) > 1;
        }
        return new double[] {largest, beyond ? 1 : 0};
    }

    private static boolean identical(LayerTrace.Step a, LayerTrace.Step b) {
        return Arrays.equals(a.shape(), b.shape()) && Arrays.equals(a.values(), b.values());
    }

    private static String shape(long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(')').toString();
    }

    /** The steps block by block, with ✓ or ✗, |Δ|, and a marker on the first divergence; or one line when none diverges. */
    public String render(Style style) {
        StringBuilder out = new StringBuilder("  layer by layer, ");
        if (first < 0) {
            out.append(subject).append(" against ").append(reference).append(": no step beyond tolerance (")
                    .append(tolerance).append(')');
            StepDivergence largest = null;
            for (StepDivergence d : steps) {
                largest = largest == null || d.difference() > largest.difference() ? d : largest;
            }
            if (largest != null && largest.difference() > 0) {
                out.append("; largest |").append(style.delta()).append("| ").append(Text.compact(largest.difference()))
                        .append(" at ").append(largest.where());
            } else if (largest != null) {
                out.append("; every step identical");
            }
            return String.join("\n", Text.words("  ", out.substring(2), "      "));
        }
        out.append('|').append(style.delta()).append("| of ").append(subject).append(" from ").append(reference)
                .append(" on real tokens (tolerance ").append(tolerance).append("):");
        List<String> lines = new ArrayList<>();
        int i = 0;
        while (i < steps.size()) {
            int block = steps.get(i).block();
            List<String> items = new ArrayList<>();
            for (; i < steps.size() && steps.get(i).block() == block; i++) {
                items.add(item(steps.get(i), i == first, style));
            }
            String head = "    " + (block == LayerTrace.MODEL ? "model" : "block " + block) + " · ";
            lines.addAll(Text.wrap(head, items, " · ", " ".repeat(head.length() - 2)));
        }
        if (notReached > 0) {
            lines.add("    (" + notReached + " later step" + (notReached == 1 ? "" : "s") + " not reached)");
        }
        if (!extra.isEmpty()) {
            lines.addAll(Text.wrap("  also called by " + subject + ", not by " + reference + ": ", extra, ", ", "    "));
        }
        for (String line : lines) {
            out.append('\n').append(line);
        }
        return out.toString();
    }

    private static String item(StepDivergence d, boolean first, Style style) {
        StringBuilder s = new StringBuilder(d.label()).append(' ').append(d.beyond() ? style.fails() : style.holds())
                .append(' ').append(d.note().isEmpty() ? Text.compact(d.difference()) : d.note());
        if (first) {
            s.append(' ').append(style.marker()).append(" first divergence");
            if (Double.isFinite(d.jump())) {
                s.append(" (jump ").append(style.times()).append(Text.compact(d.jump())).append(')');
            }
        }
        return s.toString();
    }
}
