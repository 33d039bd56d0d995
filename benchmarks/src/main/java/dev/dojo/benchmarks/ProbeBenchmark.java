package dev.dojo.benchmarks;

import ai.djl.ndarray.NDManager;
import dev.dojo.engine.Engines;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.kit.ModelConfig.FeedForwardKind;
import dev.dojo.kit.ModelConfig.NormKind;
import dev.dojo.probes.Probe;
import dev.dojo.probes.ProbeResult;
import dev.dojo.probes.Probes;
import dev.dojo.reference.TransformerBlock.Placement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Each probe's cost on the reference kit shaped as each founding kata's model (the katas' own
 * components differ from these by a line or two, not in cost). Times are sampled, so JMH reports
 * the median as p0.50.
 *
 * <pre>./mvnw -q -pl harness,benchmarks -am -DskipTests package
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath) org.openjdk.jmh.Main ProbeBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseSerialGC")
public class ProbeBenchmark {

    @Param({"batch independence", "padding independence", "causality", "causal jacobian", "kv-cache equivalence",
            "residual identity", "head independence", "gqa consistency", "permutation equivariance", "position zero",
            "relative position", "scale invariance", "shift invariance", "gradient flow", "stability"})
    public String probe;

    @Param({"prenorm-block", "padded-attention", "rotary-embedding"})
    public String kata;

    private Probe subject;
    private Kit kit;
    private NDManager manager;
    private long seed;

    @Setup
    public void setUp() {
        subject = Probes.all().stream().filter(p -> p.name().equals(probe)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no probe '" + probe + "'"));
        kit = Kit.reference(shape(kata));
        manager = Engines.newManager();
    }

    /** The model shape of each founding kata's kit (see its GoldenCase.kit()). */
    static ModelConfig shape(String kata) {
        return switch (kata) {
            case "prenorm-block", "padded-attention" -> new ModelConfig(48, 16, 4, 4, 32, 2, Placement.PRE_NORM,
                    NormKind.LAYER_NORM, false, FeedForwardKind.GELU);
            case "rotary-embedding" -> ModelConfig.tinyLlama();
            default -> throw new IllegalArgumentException("no founding kata '" + kata + "'");
        };
    }

    @Benchmark
    public ProbeResult check() {
        return subject.run(kit, manager, 1 + (seed++ % 20));
    }

    @TearDown
    public void tearDown() {
        manager.close();
    }
}
