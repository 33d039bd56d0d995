package dev.dojo.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Attention computed over the keys one tile at a time, as FlashAttention does, with an online
 * softmax: each query keeps a running maximum m of its scores, a running sum ℓ of exp(score - m) and
 * an accumulator of the values weighted by exp(score - m); when a tile raises the maximum, ℓ and the
 * accumulator are rescaled by exp(m_old - m_new). At the end the accumulator divided by ℓ is the
 * softmax-weighted average of the values, whatever the tile size. B batch, T queries, S keys,
 * H heads, D head size, K keys per tile. Everything else is {@link Attention}'s.
 */
public class TiledAttention extends Attention {
    private final int tile;

    /** As {@link Attention#Attention}, reading {@code tile} keys at a time. */
    public TiledAttention(Linear wq, Linear wk, Linear wv, Linear wo, int heads, int kvHeads, Rotary rope, int tile) {
        super(wq, wk, wv, wo, heads, kvHeads, rope);
        if (tile <= 0) {
            throw new IllegalArgumentException("a tile must hold at least one key, got " + tile);
        }
        this.tile = tile;
    }

    /** The online softmax's state for each query: max m and sum ℓ (B, H, T, 1), accumulator (B, H, T, D). */
    public record Running(NDArray max, NDArray sum, NDArray accumulator) {}

    @Override
    protected NDArray context(NDArray q, NDArray k, NDArray v, AttentionMask mask, NDManager manager,
                              long offset) {                                   // q: (B, H, T, D); k, v: (B, H, S, D)
        Shape shape = q.getShape();
        long queries = shape.get(2);
        long keys = k.getShape().get(2);
        NDArray bias = bias(mask, manager, queries, keys, offset);             // (B or 1, 1, T, S)
        Shape perQuery = new Shape(shape.get(0), shape.get(1), queries, 1);
        Running running = new Running(manager.full(perQuery, Float.NEGATIVE_INFINITY), manager.zeros(perQuery),
                manager.zeros(shape));
        NDArray scale = manager.create(Math.sqrt(headSize()));               // (): a tensor, see Autograd
        for (long start = 0; start < keys; start += tile) {
            long end = Math.min(keys, start + tile);
            NDIndex tileKeys = new NDIndex(":, :, {}:{}", start, end);
            NDArray scores = q.matMul(k.get(tileKeys).transpose(0, 1, 3, 2))   // (B, H, T, K)
                    .div(scale)
                    .toType(DataType.FLOAT32, false)
                    .add(bias.get(new NDIndex(":, :, :, {}:{}", start, end)));
            running = fold(running, scores, v.get(tileKeys).toType(DataType.FLOAT32, false));
        }
        return running.accumulator().div(running.sum()).toType(v.getDataType(), false);  // (B, H, T, D)
    }

    /** One tile's scores (B, H, T, K) and values (B, H, K, D) folded into the running state. */
    protected Running fold(Running running, NDArray scores, NDArray values) {
        NDArray max = running.max().maximum(scores.max(new int[] {-1}, true));         // (B, H, T, 1)
        NDArray rescale = running.max().sub(max).exp();                                 // (B, H, T, 1): exp(m_old - m_new)
        NDArray p = scores.sub(max).exp();                                              // (B, H, T, K)
        NDArray sum = running.sum().mul(rescale).add(p.sum(new int[] {-1}, true));      // (B, H, T, 1)
        NDArray accumulator = running.accumulator().mul(rescale).add(p.matMul(values)); // (B, H, T, D)
        return new Running(max, sum, accumulator);
    }

    /** K, the keys per tile. */
    public int tile() {
        return tile;
    }
}
