// wrong fix: rescales the accumulator, but takes the running maximum over the scores before the mask is added, so that a tile of pads can no longer drag it down to -1e9: a masked key (a pad, a later token) can then set the maximum, and a query whose visible scores sit far below it, or that sees no key, underflows to 0 / 0
package dev.dojo.katas.flash;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The forward pass of FlashAttention, in FlashAttention-2's loop order: softmax(q kᵀ / √D + bias) v,
 * computed over one tile of K keys at a time, so that no (T, S) matrix of scores is ever held whole.
 * Each query row keeps a running maximum m of its scores, a running sum l of exp(score - m) and an
 * accumulator o of the values weighted by exp(score - m); o / l after the last tile is the output.
 * B batch, H heads, T queries, S keys, D head size, K keys per tile.
 */
public final class FlashAttention {
    private final int tile;

    /** Reads {@code tile} keys per step (K ≥ 1); the last tile holds what is left. */
    public FlashAttention(int tile) {
        if (tile < 1) {
            throw new IllegalArgumentException("a tile must hold at least one key, got " + tile);
        }
        this.tile = tile;
    }

    /**
     * q: (B, H, T, D); k, v: (B, H, S, D); bias: (B or 1, 1, T, S), added to the scores, 0 where a
     * query may see a key and large and negative where it may not. Returns (B, H, T, D).
     */
    public NDArray forward(NDArray q, NDArray k, NDArray v, NDArray bias) {
        NDManager manager = q.getManager();
        Shape shape = q.getShape();
        Shape rows = new Shape(shape.get(0), shape.get(1), shape.get(2), 1);
        long keys = k.getShape().get(2);
        double scale = 1 / Math.sqrt(shape.get(3));
        NDArray m = manager.full(rows, Float.NEGATIVE_INFINITY);                      // (B, H, T, 1)
        NDArray l = manager.zeros(rows);                                              // (B, H, T, 1)
        NDArray o = manager.zeros(shape);                                             // (B, H, T, D)
        for (long start = 0; start < keys; start += tile) {
            long end = Math.min(start + tile, keys);
            NDArray kj = k.get(new NDIndex(":, :, {}:{}", start, end));               // (B, H, K, D)
            NDArray vj = v.get(new NDIndex(":, :, {}:{}", start, end));               // (B, H, K, D)
            NDArray raw = q.matMul(kj.transpose(0, 1, 3, 2)).mul(scale);              // (B, H, T, K)
            NDArray s = raw.add(bias.get(new NDIndex(":, :, :, {}:{}", start, end)));  // (B, H, T, K)
            NDArray mNew = m.maximum(raw.max(new int[] {-1}, true));                  // (B, H, T, 1)
            NDArray p = s.sub(mNew).exp();                                            // (B, H, T, K)
            NDArray alpha = m.sub(mNew).exp();                                        // (B, H, T, 1)
            l = l.mul(alpha).add(p.sum(new int[] {-1}, true));                        // (B, H, T, 1)
            o = o.mul(alpha).add(p.matMul(vj));                                       // (B, H, T, D)
            m = mNew;
        }
        return o.div(l);                                                              // (B, H, T, D)
    }
}
