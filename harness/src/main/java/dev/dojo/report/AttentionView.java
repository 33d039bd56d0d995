package dev.dojo.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.dojo.reference.AttentionMask;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The attention maps a report shows: the reference's and the component's weights for one batch
 * item, for the heads listed, with that item's pad keys flagged.
 *
 * @param padKeys (B, T) true for a pad key, or null when every token is real
 */
public record AttentionView(AttentionWeights reference, AttentionWeights underTest, boolean[][] padKeys, int item,
                            List<Integer> heads) {

    /** At most this many heads are shown when the view chooses them. */
    public static final int MAX_HEADS = 8;

    public AttentionView {
        reference.requireSameShape(underTest);
        if (item < 0 || item >= reference.batch()) {
            throw new IllegalArgumentException("batch item " + item + " is not in 0.." + (reference.batch() - 1));
        }
        if (heads.isEmpty()) {
            throw new IllegalArgumentException("an attention view needs at least one head");
        }
        for (int h : heads) {
            if (h < 0 || h >= reference.heads()) {
                throw new IllegalArgumentException("head " + h + " is not in 0.." + (reference.heads() - 1));
            }
        }
        heads = List.copyOf(heads);
    }

    /**
     * The batch item where the maps differ most, and its heads: all of them up to
     * {@value #MAX_HEADS}, else the {@value #MAX_HEADS} that differ most, in order.
     */
    public static AttentionView of(AttentionWeights reference, AttentionWeights underTest, AttentionMask mask) {
        int item = reference.mostDifferentItem(underTest);
        List<Integer> heads = new ArrayList<>();
        for (int h = 0; h < reference.heads(); h++) {
            heads.add(h);
        }
        if (heads.size() > MAX_HEADS) {
            heads.sort(Comparator.comparingDouble((Integer h) -> -reference.largestDifference(underTest, item, h)));
            heads = new ArrayList<>(heads.subList(0, MAX_HEADS));
            heads.sort(Comparator.naturalOrder());
        }
        return new AttentionView(reference, underTest, pads(mask, reference.batch(), reference.tokens()), item, heads);
    }

    /** The same maps for a chosen item and heads. */
    public static AttentionView of(AttentionWeights reference, AttentionWeights underTest, AttentionMask mask,
                                   int item, List<Integer> heads) {
        return new AttentionView(reference, underTest, pads(mask, reference.batch(), reference.tokens()), item, heads);
    }

    /** Whether key {@code key} of the shown item is a pad. */
    public boolean isPad(int key) {
        return padKeys != null && padKeys[item][key];
    }

    private static boolean[][] pads(AttentionMask mask, int batch, int tokens) {
        NDArray padding = mask == null ? null : mask.padding();
        if (padding == null) {
            return null;
        }
        float[] flags = padding.toType(DataType.FLOAT32, false).toFloatArray();
        if (flags.length != batch * tokens) {
            throw new IllegalArgumentException("padding " + padding.getShape() + " must be (B, T) = (" + batch + ", "
                    + tokens + ")");
        }
        boolean[][] pads = new boolean[batch][tokens];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < tokens; t++) {
                pads[b][t] = flags[b * tokens + t] == 0;
            }
        }
        return pads;
    }
}
