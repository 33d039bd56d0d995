// wrong fix: works the head size out from the queries' element count over tokens and heads, forgetting the batch: right for a batch of one, B times too large (scores too flat) for any larger batch
package dev.dojo.katas.whisper;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Linear;
import dev.dojo.reference.Parameters;

/**
 * Multi-head self-attention as in OpenAI's Whisper (MultiHeadAttention.qkv_attention): queries and
 * keys are each scaled by a fourth root before their product, which keeps float16 products small.
 * The encoder runs it without a mask, the decoder with a causal one and a KV cache; a padded batch
 * masks its pads. B batch, T new tokens, S keys seen (cached and new), H heads, D head size, C = H · D.
 */
public final class WhisperAttention implements CachedAttention {
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear out;
    private final int heads;

    /** Projections C → C (Whisper's key has no bias); {@code heads} must divide C. */
    public WhisperAttention(Linear query, Linear key, Linear value, Linear out, int heads) {
        if (query.out() % heads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must divide the model width (" + query.out() + ")");
        }
        this.query = query;
        this.key = key;
        this.value = value;
        this.out = out;
        this.heads = heads;
    }

    /** torch.nn.MultiheadAttention's packed in_proj_weight and in_proj_bias (q, k, v rows), and out_proj. */
    public static WhisperAttention fromTorchMultihead(Parameters p, int heads) {
        NDList w = p.get("in_proj_weight").split(3, 0);
        NDList b = p.get("in_proj_bias").split(3, 0);
        return new WhisperAttention(new Linear(w.get(0), b.get(0)), new Linear(w.get(1), b.get(1)),
                new Linear(w.get(2), b.get(2)), Linear.from(p.under("out_proj")), heads);
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask) {
        return forward(x, mask, null);
    }

    @Override
    public NDArray forward(NDArray x, AttentionMask mask, KvCache cache) {      // x: (B, T, C)
        long offset = cache == null ? 0 : cache.length();
        NDArray q = query.forward(x);                                            // (B, T, C)
        NDArray k = key.forward(x);                                              // (B, T, C)
        NDArray v = value.forward(x);                                            // (B, T, C)
        long width = q.getShape().get(2);
        double scale = Math.pow(q.size() / (q.getShape().get(1) * heads), -0.25);
        q = split(q).mul(scale);                                                 // (B, H, T, D)
        k = split(k).mul(scale);                                                 // (B, H, T, D)
        v = split(v);                                                            // (B, H, T, D)
        if (cache != null) {
            NDArray[] seen = cache.append(k, v);
            k = seen[0];                                                         // (B, H, S, D)
            v = seen[1];                                                         // (B, H, S, D)
        }
        NDArray qk = q.matMul(k.transpose(0, 1, 3, 2));                          // (B, H, T, S)
        long tokens = qk.getShape().get(2);
        long keys = qk.getShape().get(3);
        qk = qk.add(mask.bias(x.getManager(), tokens, keys, offset));            // (B, H, T, S)
        NDArray w = qk.softmax(-1);                                              // (B, H, T, S)
        return out.forward(merge(w.matMul(v)));                                  // (B, T, C)
    }

    /** (B, T, C) → (B, H, T, D). */
    private NDArray split(NDArray x) {                                           // x: (B, T, C)
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        return x.reshape(batch, tokens, heads, -1).transpose(0, 2, 1, 3);        // (B, H, T, D)
    }

    /** (B, H, T, D) → (B, T, C). */
    private static NDArray merge(NDArray context) {                              // context: (B, H, T, D)
        long batch = context.getShape().get(0);
        long tokens = context.getShape().get(2);
        return context.transpose(0, 2, 1, 3).reshape(batch, tokens, -1);         // (B, T, C)
    }
}
