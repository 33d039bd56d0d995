package dev.dojo.probes;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dojo.junit.ScopedManager;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.Attention;
import dev.dojo.reference.RmsNorm;
import dev.dojo.variants.Variants;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** What a probe's verdict says: where it localizes a failure, and why a probe does not apply. */
@ExtendWith(ScopedManager.class)
class ProbeEvidenceTest {

    @Test
    @DisplayName("the causal Jacobian names the first output that depends on a later input")
    void jacobianNamesTheFirstPair(NDManager manager) {
        ProbeResult result = new CausalJacobian().run(variant("causal-off-by-one"), manager, 1);

        assertThat(result.report()).contains("first non-zero: output 0 depends on input 1");
    }

    @Test
    @DisplayName("KV-cache equivalence reports the first decoding step that diverges")
    void kvCacheReportsTheFirstStep(NDManager manager) {
        ProbeResult result = new KvCacheEquivalence().run(variant("rope-offset-queries-only"), manager, 1);

        assertThat(result.report()).contains("one token per step").contains("matches before pos 1, diverges from pos 1");
    }

    @Test
    @DisplayName("head independence shows which query heads a KV head leaked into")
    void headIndependenceLocalizesTheHead(NDManager manager) {
        ProbeResult result = new HeadIndependence().run(variant("gqa-tile"), manager, 1);

        assertThat(result.report()).contains("KV head 0").contains("query heads 0–1's slice [0, 8)")
                .contains("diverges at head 2");
    }

    @Test
    @DisplayName("gradient flow names every parameter that gets no gradient")
    void gradientFlowNamesTheParameters(NDManager manager) {
        ProbeResult result = new GradientFlow().run(variant("rmsnorm-unused-gain"), manager, 1);

        assertThat(result.fails()).isTrue();
        assertThat(result.note()).isEqualTo("no gradient reaches input_layernorm.weight,"
                + " post_attention_layernorm.weight (detached or unused) — of 9 parameters");
    }

    @Test
    @DisplayName("stability fails a part whose float16 run disagrees with its float32 run")
    void stabilityComparesFloat16(NDManager manager) {
        Kit kit = Kit.reference().withRmsNorm((weight, eps) -> x -> x.getDataType() == DataType.FLOAT16
                ? x.mul(weight.toType(DataType.FLOAT16, false))                     // forgets to normalize in half
                : new RmsNorm(weight, eps).forward(x));

        ProbeResult result = new Stability().run(kit, manager, 1);

        assertThat(result.fails()).isTrue();
        assertThat(result.report()).contains("a block run in float16 must agree with float32",
                "Block output in float16 diverges from the same block in float32");
    }

    @Test
    @DisplayName("stability does not fail a part that cannot run in float16: it says float16 was not checked")
    void stabilitySkipsFloat16WhenUnsupported(NDManager manager) {
        Kit kit = Kit.reference().withRmsNorm((weight, eps) -> x -> {
            if (x.getDataType() == DataType.FLOAT16) {
                throw new IllegalStateException("expected scalar type Float but found Half");
            }
            return new RmsNorm(weight, eps).forward(x);
        });

        ProbeResult result = new Stability().run(kit, manager, 1);

        assertThat(result.holds()).isTrue();
        assertThat(result.note()).contains("float16 not checked", "IllegalStateException");
    }

    @Test
    @DisplayName("stability reports the first NaN of a fully masked row")
    void stabilityReportsTheFirstNaN(NDManager manager) {
        ProbeResult result = new Stability().run(variant("mask-fill-neg-inf"), manager, 1);

        assertThat(result.report()).contains("a sample that is all padding")
                .contains("the first at [batch 1, pos 0, dim 0]");
    }

    @Test
    @DisplayName("GQA consistency does not apply when there are as many KV heads as query heads")
    void gqaNeedsFewerKvHeads(NDManager manager) {
        ProbeResult result = new GroupedQueryConsistency().run(Kit.reference(ModelConfig.tinyPostNorm()), manager, 1);

        assertThat(result.verdict()).isEqualTo(ProbeResult.Verdict.NOT_APPLICABLE);
    }

    @Test
    @DisplayName("GQA consistency checks multi-query attention too")
    void gqaChecksMultiQuery(NDManager manager) {
        Kit mqa = Kit.reference(ModelConfig.tinyLlama().withKvHeads(1));

        assertThat(new GroupedQueryConsistency().run(mqa, manager, 1).holds()).isTrue();
    }

    @Test
    @DisplayName("shift invariance does not apply to RMSNorm")
    void shiftNeedsLayerNorm(NDManager manager) {
        ProbeResult result = new ShiftInvariance().run(Kit.reference(ModelConfig.tinyLlama()), manager, 1);

        assertThat(result.verdict()).isEqualTo(ProbeResult.Verdict.NOT_APPLICABLE);
        assertThat(result.note()).contains("RMSNorm");
    }

    @Test
    @DisplayName("KV-cache equivalence does not apply to an attention without a cache")
    void kvCacheNeedsACachedAttention(NDManager manager) {
        Kit uncached = Kit.reference().withAttention((q, k, v, o, heads, kvHeads, rope) -> {
            Attention attention = new Attention(q, k, v, o, heads, kvHeads, rope);
            return attention::forward;                        // a plain SelfAttention, not a CachedAttention
        });

        ProbeResult result = new KvCacheEquivalence().run(uncached, manager, 1);

        assertThat(result.verdict()).isEqualTo(ProbeResult.Verdict.NOT_APPLICABLE);
    }

    @Test
    @DisplayName("a probe whose code under test throws fails, with the exception as its note")
    void anExceptionFails(NDManager manager) {
        Kit broken = Kit.reference().withRmsNorm((weight, eps) -> x -> {
            throw new IllegalStateException("boom");
        });

        ProbeResult result = new ScaleInvariance().run(broken, manager, 1);

        assertThat(result.fails()).isTrue();
        assertThat(result.note()).isEqualTo("threw IllegalStateException: boom");
    }

    private static Kit variant(String name) {
        return Variants.named(name).orElseThrow().kit();
    }
}
