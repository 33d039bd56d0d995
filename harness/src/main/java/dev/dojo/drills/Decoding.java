package dev.dojo.drills;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.KvCache;

import java.util.ArrayList;
import java.util.List;

/** Step-by-step decoding, as a generator runs an attention: the cached path the drills' tests compare. */
final class Decoding {
    private Decoding() {}

    /** x's first two tokens, then one at a time, each step attending to the cache under a causal mask: (B, T, C). */
    static NDArray decode(CachedAttention attention, NDArray x) {                          // x: (B, T, C)
        KvCache cache = new KvCache();
        List<NDArray> steps = new ArrayList<>();
        long tokens = x.getShape().get(1);
        long start = 0;
        while (start < tokens) {
            long end = Math.min(tokens, start == 0 ? 2 : start + 1);
            steps.add(attention.forward(x.get(new NDIndex(":, {}:{}", start, end)), AttentionMask.causalOnly(), cache));
            start = end;
        }
        NDArray out = steps.get(0);
        for (int i = 1; i < steps.size(); i++) {
            out = out.concat(steps.get(i), 1);
        }
        return out;                                                                          // (B, T, C)
    }
}
