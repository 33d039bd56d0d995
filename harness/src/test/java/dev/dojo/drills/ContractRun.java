package dev.dojo.drills;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.engine.Engines;
import dev.dojo.kata.ProbeGate;
import dev.dojo.probes.ProbeResult;
import dev.dojo.reference.FeedForward;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Norm;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.Rotary;
import dev.dojo.reference.SelfAttention;
import dev.dojo.reference.TransformerBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A drill's verdict without the JUnit launcher or a compile per drill: the contract's test methods
 * called directly on a case built around an already compiled part class, then the probe gate. The
 * same tests and probes as {@code ./kata drill test}, fast enough to run on hundreds of drills.
 */
final class ContractRun {
    private ContractRun() {}

    /** The drill's case with {@code part}, a compiled drill class (planted or fixed), in place. */
    static PartCase caseOf(Drill drill, Class<?> part) {
        try {
            return switch (drill.part()) {
                case ATTENTION -> {
                    Constructor<?> c = part.getConstructor(Linear.class, Linear.class, Linear.class, Linear.class,
                            int.class, int.class, Rotary.class);
                    yield new AttentionCase(drill.config(), drill.seed(),
                            (q, k, v, o, h, kv, rope) -> (SelfAttention) make(c, q, k, v, o, h, kv, rope));
                }
                case ROTARY -> {
                    Constructor<?> c = part.getConstructor(int.class, double.class, RopePairing.class);
                    yield new RotaryCase(drill.config(), drill.seed(), (d, theta, pairing) -> (Rotary) make(c, d, theta, pairing));
                }
                case LAYER_NORM -> {
                    Constructor<?> c = part.getConstructor(NDArray.class, NDArray.class, double.class);
                    yield new LayerNormCase(drill.config(), drill.seed(), (w, b, eps) -> (Norm) make(c, w, b, eps));
                }
                case RMS_NORM -> {
                    Constructor<?> c = part.getConstructor(NDArray.class, double.class);
                    yield new RmsNormCase(drill.config(), drill.seed(), (w, eps) -> (Norm) make(c, w, eps));
                }
                case BLOCK -> {
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    Class<Enum> placement = (Class<Enum>) Arrays.stream(part.getDeclaredClasses())
                            .filter(Class::isEnum).findFirst().orElseThrow();
                    Constructor<?> c = part.getConstructor(placement, Norm.class, SelfAttention.class, Norm.class,
                            FeedForward.class);
                    yield new BlockCase(drill.config(), drill.seed(), (TransformerBlock.Placement p, Norm n1,
                            SelfAttention a, Norm n2, FeedForward f) -> (dev.dojo.reference.Block) make(c,
                            Enum.valueOf(placement, p.name()), n1, a, n2, f));
                }
            };
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(part + " lacks the reference's constructor", e);
        }
    }

    /** The names of the contract's tests that fail on {@code drillCase}; with {@code firstOnly}, at most one. */
    static List<String> failingTests(PartCase drillCase, boolean firstOnly) {
        Object contract = contract(drillCase);
        List<String> failing = new ArrayList<>();
        List<Method> tests = Arrays.stream(contract.getClass().getMethods())
                .filter(m -> m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class))
                // the first case's failure also gathers the full evidence: the slowest, so the last tried
                .sorted(Comparator.comparing((Method m) -> m.getName().equals("firstCase")).thenComparing(Method::getName))
                .toList();
        for (Method test : tests) {
            List<Object[]> calls = new ArrayList<>();
            if (test.isAnnotationPresent(ParameterizedTest.class)) {
                for (MaskLayout layout : MaskLayout.values()) {
                    calls.add(new Object[] {layout});
                }
            } else {
                calls.add(new Object[] {});
            }
            for (Object[] arguments : calls) {
                try (NDManager manager = Engines.newManager()) {
                    Object[] withManager = Arrays.copyOf(arguments, arguments.length + 1);
                    withManager[arguments.length] = manager;
                    test.invoke(contract, withManager);
                } catch (InvocationTargetException e) {
                    if (!(e.getCause() instanceof TestAbortedException)) {
                        failing.add(test.getName() + Arrays.toString(arguments) + ": " + firstLine(e.getCause()));
                        if (firstOnly) {
                            return failing;
                        }
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return failing;
    }

    /** The applicable probes that fail on the case's kit, as the CLI's gate runs them: each probe's report. */
    static List<String> failingProbes(PartCase drillCase) {
        return ProbeGate.failing(ProbeGate.check(drillCase.kit(), drillCase.seed(), ProbeGate.SEEDS)).stream()
                .map(ProbeResult::report).toList();
    }

    private static Object contract(PartCase drillCase) {
        return switch (drillCase.part()) {
            case ATTENTION -> new AttentionContract((AttentionCase) drillCase) {};
            case ROTARY -> new RotaryContract((RotaryCase) drillCase) {};
            case LAYER_NORM, RMS_NORM -> new NormContract((NormCase) drillCase) {};
            case BLOCK -> new BlockContract((BlockCase) drillCase) {};
        };
    }

    private static Object make(Constructor<?> constructor, Object... arguments) {
        try {
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(Throwable t) {
        String message = String.valueOf(t.getMessage());
        return t.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse("");
    }
}
