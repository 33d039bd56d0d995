package dev.dojo.katas.falcon;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.compare.Tolerance;
import dev.dojo.golden.GoldenModel;
import dev.dojo.kata.GoldenCase;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.Rotary;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.tensor.Seeded;

import java.util.ArrayList;
import java.util.List;

/**
 * Grouped-query attention is a sum of multi-query attentions, one per KV head: KV head g, the query
 * heads of its group and their columns of the output projection. So FalconAttention, run once for each
 * of the two KV heads of a Llama-style attention written in PyTorch (C 32, 4 query heads, 2 KV heads,
 * rotate_half RoPE, causal) and summed, must give that module's output.
 * B batch, T tokens, C model width, H query heads, H_kv KV heads, G = H / H_kv, D head size.
 */
public final class FalconAttentionGolden implements GoldenCase {
    static final long SEED = Seeded.chosen(5);
    static final Tolerance TOLERANCE = Tolerance.of(1e-5, 1e-4);
    static final String MODEL = "gqa_attention";
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    static final int WIDTH = 32;
    static final int HEAD_SIZE = WIDTH / HEADS;
    static final int BATCH = 2;
    static final int TOKENS = 7;

    /** A tiny Falcon-like model: LayerNorm, pre-norm, RoPE, GELU, 4 query heads sharing one KV head. */
    static final ModelConfig FALCON = ModelConfig.tinyPreNormEncoder().withRope(true).withKvHeads(1);

    /** The golden module's rotary embedding: rotate_half, θ 10000, D 8. */
    static Rotary rope() {
        return new RotaryEmbedding(HEAD_SIZE, 10_000, RopePairing.HALF_SPLIT);
    }

    /**
     * One multi-query attention per KV head of the grouped attention q, k, v, o (H query heads, H_kv KV
     * heads): KV head g with query heads g·G … (g+1)·G - 1 and their columns of o; o's bias goes to the first.
     */
    static List<FalconAttention> perKvHead(Linear q, Linear k, Linear v, Linear o, int heads, int kvHeads,
                                           Rotary rope) {
        long headSize = q.out() / heads;
        long queryRows = headSize * (heads / kvHeads);
        List<FalconAttention> groups = new ArrayList<>();
        for (long g = 0; g < kvHeads; g++) {
            NDIndex queryHeads = new NDIndex("{}:{}", g * queryRows, (g + 1) * queryRows);
            NDIndex kvHead = new NDIndex("{}:{}", g * headSize, (g + 1) * headSize);
            Linear dense = new Linear(o.weight().get(new NDIndex(":, {}:{}", g * queryRows, (g + 1) * queryRows)),
                    g == 0 ? o.bias() : null);
            groups.add(new FalconAttention(rows(q, queryHeads), rows(k, kvHead), rows(v, kvHead), dense,
                    Math.toIntExact(heads / kvHeads), rope));
        }
        return groups;
    }

    /** The sum of the multi-query attentions' outputs on x: (B, T, C), each with its own cache if caches is not null. */
    static NDArray sum(List<FalconAttention> groups, NDArray x, AttentionMask mask, List<KvCache> caches) {
        NDArray out = null;
        for (int g = 0; g < groups.size(); g++) {
            NDArray y = groups.get(g).forward(x, mask, caches == null ? null : caches.get(g));   // (B, T, C)
            out = out == null ? y : out.add(y);
        }
        return out;
    }

    /** The golden module's two KV groups as multi-query attentions. */
    static List<FalconAttention> goldenGroups(NDManager manager) {
        Attention a = Attention.fromLlama(GoldenModel.named(MODEL).parameters(manager), HEADS, KV_HEADS, rope());
        return perKvHead(a.wq(), a.wk(), a.wv(), a.wo(), HEADS, KV_HEADS, rope());
    }

    /**
     * The reference parts of a tiny Falcon-like model with the kata's attention in place: a model with one KV
     * head gets FalconAttention, one with more (as the GQA consistency probe builds to compare) the reference's.
     */
    @Override
    public Kit kit() {
        return Kit.reference(FALCON).named("falcon-attention")
                .withAttention((q, k, v, o, heads, kvHeads, rope) -> kvHeads == 1
                        ? new FalconAttention(q, k, v, o, heads, rope)
                        : new Attention(q, k, v, o, heads, kvHeads, rope));
    }

    @Override
    public long seed() {
        return SEED;
    }

    @Override
    public Tolerance tolerance() {
        return TOLERANCE;
    }

    @Override
    public Outputs run(NDManager manager, long seed) {
        NDArray x = Seeded.of(manager, seed).normal("x", 1, BATCH, TOKENS, WIDTH);         // (B, T, C)
        NDArray actual = sum(goldenGroups(manager), x, AttentionMask.causalOnly(), null);
        NDArray expected = GoldenModel.named(MODEL).run(manager, x).singletonOrThrow();
        return new Outputs(actual, expected, "Sum of the multi-query attentions of both KV heads",
                "grouped-query attention in PyTorch", List.of("batch", "pos", "dim"));
    }

    private static Linear rows(Linear linear, NDIndex rows) {
        return new Linear(linear.weight().get(rows), linear.bias() == null ? null : linear.bias().get(rows));
    }
}
