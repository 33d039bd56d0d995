package dev.dojo.diagnosis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.Block;
import dev.dojo.reference.CachedAttention;
import dev.dojo.reference.FeedForward;
import dev.dojo.reference.KvCache;
import dev.dojo.reference.Norm;
import dev.dojo.reference.Parameters;
import dev.dojo.reference.SelfAttention;
import dev.dojo.tensor.Seeded;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every intermediate tensor of one forward pass, in the order the code computed it. The parts a
 * kit hands its block factory are wrapped in recorders, so the inputs and outputs of each norm,
 * attention and feed-forward are seen whatever block the kit builds (a kata's too); the block
 * output is recorded around the block. A block is otherwise a black box: its residual adds show
 * as the input of the next part or as its output. Values are copied out of the engine, so a trace
 * outlives the manager of the run.
 *
 * @param kit     the name of the kit that ran
 * @param steps   what was recorded, in call order
 * @param failure what the code threw, or "" if it ran to the end
 * @param real    which (batch, token) positions are real tokens, or null if all are
 */
public record LayerTrace(String kit, List<Step> steps, String failure, RealTokens real) {

    /** Block index of steps outside any block: the final norm and the logits. */
    public static final int MODEL = -1;

    public static final String ATTENTION_NORM = "attention norm";
    public static final String ATTENTION = "attention";
    public static final String FFN_NORM = "ffn norm";
    public static final String FEED_FORWARD = "feed-forward";
    public static final String BLOCK_OUTPUT = "block output";
    public static final String FINAL_NORM = "final norm";
    public static final String LOGITS = "logits";

    public LayerTrace {
        steps = List.copyOf(steps);
    }

    /**
     * One recorded tensor: the input or the output of a part of block {@code block} ({@link #MODEL}
     * outside blocks); {@code call} counts the part's calls in that block from 1.
     */
    public record Step(int block, String part, boolean input, int call, long[] shape, float[] values) {

        /** "attention input", "ffn norm", "feed-forward (call 2)". */
        public String label() {
            return part + (input ? " input" : "") + (call > 1 ? " (call " + call + ")" : "");
        }

        /** What a step of another trace must share to be the same step. */
        String key() {
            return block + "|" + part + "|" + input + "|" + call;
        }
    }

    /** Which of the (B, T) positions are real tokens (true) and which are pads. */
    public record RealTokens(int batch, int tokens, boolean[] real) {
        /** The positions of a (B, T) padding mask, 1 for tokens and 0 for pads. */
        public static RealTokens of(NDArray padding) {
            float[] p = padding.toType(DataType.FLOAT32, false).toFloatArray();
            boolean[] real = new boolean[p.length];
            for (int i = 0; i < p.length; i++) {
                real[i] = p[i] != 0;
            }
            return new RealTokens(Math.toIntExact(padding.getShape().get(0)),
                    Math.toIntExact(padding.getShape().get(1)), real);
        }
    }

    /** The model's input: token ids (B, T) int64 and the mask the blocks receive. */
    public record Input(NDArray tokens, AttentionMask mask) {

        /**
         * Two sequences of 7 tokens drawn from {@code seeded}, causal (within the model's sliding window,
         * if it has one), the second left-padded by 3 as for batched generation: real tokens come after
         * pads, so a mask that lets them see pads shows.
         */
        public static Input drawn(Seeded seeded, ModelConfig c) {
            NDArray tokens = seeded.integers("trace.tokens", c.vocabulary(), 2, 7);
            NDArray padding = seeded.manager().create(new float[] {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1},
                    new Shape(2, 7));
            return new Input(tokens, c.window() == 0 ? AttentionMask.causal(padding)
                    : AttentionMask.slidingWindow(c.window(), padding));
        }
    }

    /** Runs {@code kit}'s tiny decoder with parameters {@code p} on {@code input}, recording every step and the logits. */
    public static LayerTrace decoder(Kit kit, Parameters p, Input input) {
        Recorder recorder = new Recorder();
        String failure = "";
        try {
            NDArray logits = recorder.trace(kit).decoder(p, kit.config()).forward(input.tokens(), input.mask());
            recorder.record(MODEL, LOGITS, false, logits);
        } catch (RuntimeException e) {
            failure = threw(e);
        }
        return new LayerTrace(kit.name(), recorder.steps, failure, realTokens(input.mask()));
    }

    /** Runs one block of {@code kit} with parameters {@code layer} (no {@code layers.i.} prefix) on x: (B, T, C). */
    public static LayerTrace block(Kit kit, Parameters layer, NDArray x, AttentionMask mask) {
        Recorder recorder = new Recorder();
        String failure = "";
        try {
            recorder.trace(kit).block(layer, kit.config()).forward(x, mask);
        } catch (RuntimeException e) {
            failure = threw(e);
        }
        return new LayerTrace(kit.name(), recorder.steps, failure, realTokens(mask));
    }

    /** The steps of block {@code block}, in call order. */
    public List<Step> of(int block) {
        return steps.stream().filter(s -> s.block() == block).toList();
    }

    private static RealTokens realTokens(AttentionMask mask) {
        return mask == null || mask.padding() == null ? null : RealTokens.of(mask.padding());
    }

    private static String threw(RuntimeException e) {
        return "threw " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Collects steps from the recording parts of one traced kit. */
    private static final class Recorder {
        private final List<Step> steps = new ArrayList<>();
        private final Map<String, Integer> calls = new HashMap<>();
        private int blocks;

        void record(int block, String part, boolean input, NDArray value) {
            int call = input ? calls.merge(block + "|" + part, 1, Integer::sum) : calls.getOrDefault(block + "|" + part, 1);
            float[] values = value.getDataType() == DataType.FLOAT32 ? value.toFloatArray()
                    : value.toType(DataType.FLOAT32, false).toFloatArray();
            steps.add(new Step(block, part, input, call, value.getShape().getShape(), values));
        }

        /**
         * The kit with recording parts: a norm made outside a block is the final norm; the block
         * factory receives the parts of block i wrapped, and its block's output is recorded.
         */
        Kit trace(Kit kit) {
            return kit
                    .withLayerNorm((w, b, eps) -> new RecordedNorm(this, kit.layerNorm().make(w, b, eps), MODEL, FINAL_NORM))
                    .withRmsNorm((w, eps) -> new RecordedNorm(this, kit.rmsNorm().make(w, eps), MODEL, FINAL_NORM))
                    .withBlock((placement, norm1, attention, norm2, feedForward) -> {
                        int i = blocks++;
                        Block block = kit.block().make(placement, new RecordedNorm(this, unwrap(norm1), i, ATTENTION_NORM),
                                recorded(attention, i), new RecordedNorm(this, unwrap(norm2), i, FFN_NORM),
                                new RecordedFeedForward(this, feedForward, i));
                        return (x, mask) -> {
                            NDArray y = block.forward(x, mask);
                            record(i, BLOCK_OUTPUT, false, y);
                            return y;
                        };
                    });
        }

        /** A recorder that is a {@link CachedAttention} when the part is one, so a block may decode with it. */
        private SelfAttention recorded(SelfAttention attention, int block) {
            return attention instanceof CachedAttention cached ? new RecordedCachedAttention(this, cached, block)
                    : new RecordedAttention(this, attention, block);
        }

        private static Norm unwrap(Norm norm) {
            return norm instanceof RecordedNorm recorded ? recorded.inner : norm;
        }
    }

    private record RecordedNorm(Recorder recorder, Norm inner, int block, String part) implements Norm {
        @Override
        public NDArray forward(NDArray x) {
            recorder.record(block, part, true, x);
            NDArray y = inner.forward(x);
            recorder.record(block, part, false, y);
            return y;
        }
    }

    private record RecordedAttention(Recorder recorder, SelfAttention inner, int block) implements SelfAttention {
        @Override
        public NDArray forward(NDArray x, AttentionMask mask) {
            recorder.record(block, ATTENTION, true, x);
            NDArray y = inner.forward(x, mask);
            recorder.record(block, ATTENTION, false, y);
            return y;
        }
    }

    private record RecordedCachedAttention(Recorder recorder, CachedAttention inner, int block)
            implements CachedAttention {
        @Override
        public NDArray forward(NDArray x, AttentionMask mask) {
            return forward(x, mask, null);
        }

        @Override
        public NDArray forward(NDArray x, AttentionMask mask, KvCache cache) {
            recorder.record(block, ATTENTION, true, x);
            NDArray y = cache == null ? inner.forward(x, mask) : inner.forward(x, mask, cache);
            recorder.record(block, ATTENTION, false, y);
            return y;
        }
    }

    private record RecordedFeedForward(Recorder recorder, FeedForward inner, int block) implements FeedForward {
        @Override
        public NDArray forward(NDArray x) {
            recorder.record(block, FEED_FORWARD, true, x);
            NDArray y = inner.forward(x);
            recorder.record(block, FEED_FORWARD, false, y);
            return y;
        }
    }

    @Override
    public String toString() {
        return "LayerTrace[" + kit + ", " + steps.size() + " steps" + (failure.isEmpty() ? "" : ", " + failure) + "]";
    }
}
