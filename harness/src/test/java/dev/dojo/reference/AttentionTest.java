package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.Tolerance;
import dev.dojo.junit.ScopedManager;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.IntUnaryOperator;

import static dev.dojo.assertions.DojoAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Attention's own contracts, beyond the goldens: its argument errors, that H_kv = H is plain
 * multi-head attention, and that GQA is MHA with each KV head shared by a group of query heads.
 * B batch, T tokens, H query heads, H_kv KV heads, D head size, C width.
 */
@ExtendWith(ScopedManager.class)
class AttentionTest {
    private static final Tolerance FLOAT32 = Tolerance.absolute(1e-5);

    @Test
    @DisplayName("rejects heads that do not divide the query width, naming both")
    void headsMustDivideWidth(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 1);

        assertThatIllegalArgumentException().isThrownBy(() -> Attention.random(seeded, "attention", 12, 5, 5, null))
                .withMessage("heads (5) must divide the query width (12)");
    }

    @Test
    @DisplayName("rejects KV heads that do not divide the query heads, naming both")
    void kvHeadsMustDivideHeads(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 1);

        assertThatIllegalArgumentException().isThrownBy(() -> Attention.random(seeded, "attention", 16, 4, 3, null))
                .withMessage("KV heads (3) must divide query heads (4)");
    }

    @Test
    @DisplayName("rejects k and v projections of different widths than KV heads · head size")
    void kvWidths(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 1);
        Linear q = Linear.random(seeded, "q", 16, 16, false);
        Linear k = Linear.random(seeded, "k", 16, 8, false);
        Linear v = Linear.random(seeded, "v", 16, 16, false);
        Linear o = Linear.random(seeded, "o", 16, 16, false);

        assertThatIllegalArgumentException().isThrownBy(() -> new Attention(q, k, v, o, 4, 2, null))
                .withMessage("k and v must project to KV heads · head size (2 · 4), got 8 and 16");
    }

    @Test
    @DisplayName("rejects a RoPE for another head size")
    void ropeHeadSize(NDManager manager) {
        Seeded seeded = Seeded.of(manager, 1);
        RotaryEmbedding rope = new RotaryEmbedding(8, 10_000, RopePairing.HALF_SPLIT);

        assertThatIllegalArgumentException().isThrownBy(() -> Attention.random(seeded, "attention", 16, 4, 4, rope))
                .withMessage("RoPE head size (8) must equal the head size (4)");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    @DisplayName("with as many KV heads as query heads, it is multi-head attention computed head by head")
    void kvHeadsEqualHeadsIsMultiHead(long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        RotaryEmbedding rope = new RotaryEmbedding(4, 10_000, RopePairing.HALF_SPLIT);
        Attention attention = Attention.random(seeded, "attention", 16, 4, 4, rope);
        NDArray x = seeded.normal("x", 1, 2, 5, 16);
        AttentionMask mask = AttentionMask.causal(seeded.rightPadding(5, 5, 3));

        assertThat(attention.forward(x, mask)).named("Attention with H_kv = H").against("head-by-head attention")
                .withAxes("batch", "pos", "dim").withSeed(seed).isCloseTo(headByHead(attention, x, mask), FLOAT32);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    @DisplayName("GQA equals multi-head attention whose KV weights are repeated per group: head h uses KV head h / (H / H_kv)")
    void gqaIsMultiHeadWithSharedKv(long seed, NDManager manager) {
        Seeded seeded = Seeded.of(manager, seed);
        RotaryEmbedding rope = new RotaryEmbedding(8, 10_000, RopePairing.HALF_SPLIT);
        Attention gqa = Attention.random(seeded, "attention", 32, 4, 2, rope);
        NDArray x = seeded.normal("x", 1, 2, 6, 32);
        IntUnaryOperator grouped = h -> h / (4 / 2);
        IntUnaryOperator tiled = h -> h % 2;

        NDArray out = gqa.forward(x, AttentionMask.causalOnly());

        assertThat(out).named("GQA output").against("MHA with KV heads repeated per group").withSeed(seed)
                .withAxes("batch", "pos", "dim")
                .isCloseTo(withKvPerQueryHead(gqa, grouped).forward(x, AttentionMask.causalOnly()), FLOAT32);
        org.assertj.core.api.Assertions.assertThat(Comparison.of(out,
                withKvPerQueryHead(gqa, tiled).forward(x, AttentionMask.causalOnly()), FLOAT32).passes())
                .as("GQA against MHA with KV heads tiled (h %% H_kv)").isFalse();
    }

    /** Multi-head attention written head by head, as the paper writes it: softmax(q_h k_hᵀ / √D + mask) v_h. */
    private static NDArray headByHead(Attention a, NDArray x, AttentionMask mask) {       // x: (B, T, C)
        long tokens = x.getShape().get(1);
        int size = a.headSize();
        NDArray q = a.wq().forward(x);                                                     // (B, T, C)
        NDArray k = a.wk().forward(x);                                                     // (B, T, C)
        NDArray v = a.wv().forward(x);                                                     // (B, T, C)
        NDArray bias = mask.bias(x.getManager(), tokens, tokens, 0).squeeze(1);            // (B or 1, T, T)
        NDList heads = new NDList();
        for (int h = 0; h < a.heads(); h++) {
            NDIndex slice = new NDIndex(":, :, {}:{}", h * size, (h + 1) * size);
            NDArray qh = a.rope().apply(q.get(slice).expandDims(1), 0).squeeze(1);        // (B, T, D)
            NDArray kh = a.rope().apply(k.get(slice).expandDims(1), 0).squeeze(1);        // (B, T, D)
            NDArray scores = qh.matMul(kh.transpose(0, 2, 1)).div(Math.sqrt(size)).add(bias);  // (B, T, T)
            heads.add(scores.softmax(-1).matMul(v.get(slice)));                            // (B, T, D)
        }
        return a.wo().forward(NDArrays.concat(heads, -1));                                 // (B, T, C)
    }

    /** The same attention as MHA: query head h gets a copy of KV head {@code group(h)}'s k and v weights. */
    private static Attention withKvPerQueryHead(Attention gqa, IntUnaryOperator group) {
        return new Attention(gqa.wq(), perQueryHead(gqa.wk(), gqa, group), perQueryHead(gqa.wv(), gqa, group), gqa.wo(),
                gqa.heads(), gqa.heads(), gqa.rope());
    }

    private static Linear perQueryHead(Linear kv, Attention gqa, IntUnaryOperator group) {
        int size = gqa.headSize();
        NDList rows = new NDList();
        for (int h = 0; h < gqa.heads(); h++) {
            int g = group.applyAsInt(h);
            rows.add(kv.weight().get(new NDIndex("{}:{}", g * size, (g + 1) * size)));    // (D, C)
        }
        return new Linear(NDArrays.concat(rows, 0), null);                                  // (H·D, C)
    }
}
