package dev.dojo.drills;

import dev.dojo.kit.ModelConfig;
import dev.dojo.kit.ModelConfig.FeedForwardKind;
import dev.dojo.kit.ModelConfig.NormKind;
import dev.dojo.reference.RopePairing;
import dev.dojo.reference.TransformerBlock.Placement;
import dev.dojo.variants.Variant;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The model a drill's part runs in, and the mask layout of the first case its tests show. Drawn
 * within what the planted bug needs: a grouped-KV bug gets grouped KV heads, a RoPE bug RoPE, a
 * pre-norm bug a pre-norm block; everything else is drawn freely.
 *
 * @param model   widths, heads, norm, placement, RoPE and feed-forward
 * @param pairing how RoPE pairs coordinates (meaningless without RoPE, and then half-split)
 * @param layout  the mask of the first case
 */
public record DrillConfig(ModelConfig model, RopePairing pairing, MaskLayout layout) {
    /** Batch size and tokens of the drills' cases: small, so a drill runs in a blink. */
    public static final int BATCH = 3;
    public static final int TOKENS = 6;
    static final int[] WIDTHS = {16, 24, 32};

    /**
     * A configuration for a drill of {@code variant}, planted in {@code step} of {@code part}, drawn from
     * {@code random}: the same random state gives the same configuration.
     */
    static DrillConfig draw(SplittableRandom random, Variant variant, DrillPart part, String step) {
        Set<Variant.Feature> needs = variant.needs();
        int width = WIDTHS[random.nextInt(WIDTHS.length)];
        List<int[]> shapes = new ArrayList<>();                     // {heads, kvHeads}
        for (int heads = 2; heads <= width / 4; heads++) {
            if (width % heads != 0 || (width / heads) % 2 != 0) {
                continue;
            }
            for (int kv = 1; kv <= heads; kv++) {
                boolean grouped = kv > 1 && kv < heads;
                if (heads % kv == 0 && (grouped || !needs.contains(Variant.Feature.GROUPED_KV_HEADS))) {
                    shapes.add(new int[] {heads, kv});
                }
            }
        }
        int[] shape = shapes.get(random.nextInt(shapes.size()));
        boolean rope = part == DrillPart.ROTARY || needs.contains(Variant.Feature.ROPE) || random.nextBoolean();
        RopePairing pairing = !rope || step.equals("rotateHalf") ? RopePairing.HALF_SPLIT
                : RopePairing.values()[random.nextInt(RopePairing.values().length)];
        NormKind norm = part == DrillPart.LAYER_NORM ? NormKind.LAYER_NORM : part == DrillPart.RMS_NORM
                ? NormKind.RMS_NORM : NormKind.values()[random.nextInt(NormKind.values().length)];
        Placement placement = needs.contains(Variant.Feature.PRE_NORM) ? Placement.PRE_NORM
                : needs.contains(Variant.Feature.POST_NORM) ? Placement.POST_NORM
                : Placement.values()[random.nextInt(Placement.values().length)];
        FeedForwardKind feedForward = FeedForwardKind.values()[random.nextInt(FeedForwardKind.values().length)];
        MaskLayout layout = MaskLayout.values()[random.nextInt(MaskLayout.values().length)];
        ModelConfig model = ModelConfig.tinyLlama().withWidth(width).withHeads(shape[0], shape[1]).withRope(rope)
                .withNorm(norm).withPlacement(placement).withFeedForward(feedForward);
        return new DrillConfig(model, pairing, layout);
    }

    /** The model in words: "width 24, 6 heads of size 4, 2 KV heads, RoPE on adjacent pairs, RMSNorm, pre-norm, SwiGLU". */
    public String describe() {
        ModelConfig m = model;
        String kv = m.kvHeads() == m.heads() ? "as many KV heads" : m.kvHeads() == 1 ? "1 KV head"
                : m.kvHeads() + " KV heads";
        String rope = !m.rope() ? "no RoPE" : pairing == RopePairing.HALF_SPLIT ? "RoPE on halves (rotate_half)"
                : "RoPE on adjacent pairs";
        return "width " + m.width() + ", " + m.heads() + " heads of size " + m.headSize() + ", " + kv + ", " + rope
                + ", " + (m.norm() == NormKind.RMS_NORM ? "RMSNorm" : "LayerNorm") + ", "
                + (m.placement() == Placement.PRE_NORM ? "pre-norm" : "post-norm") + ", "
                + (m.feedForward() == FeedForwardKind.SWIGLU ? "SwiGLU" : "GELU");
    }

    /** Java that builds this configuration, for a drill's DrillCase; {@code imports} collects what it needs. */
    String java(Set<String> imports) {
        ModelConfig base = ModelConfig.tinyLlama();
        imports.add("dev.dojo.drills.DrillConfig");
        imports.add("dev.dojo.drills.MaskLayout");
        imports.add("dev.dojo.kit.ModelConfig");
        imports.add("dev.dojo.reference.RopePairing");
        StringBuilder s = new StringBuilder("ModelConfig.tinyLlama()");
        if (model.width() != base.width()) {
            s.append(".withWidth(").append(model.width()).append(')');
        }
        if (model.heads() != base.heads() || model.kvHeads() != base.kvHeads()) {
            s.append(".withHeads(").append(model.heads()).append(", ").append(model.kvHeads()).append(')');
        }
        if (model.rope() != base.rope()) {
            s.append(".withRope(").append(model.rope()).append(')');
        }
        if (model.norm() != base.norm()) {
            imports.add("dev.dojo.kit.ModelConfig.NormKind");
            s.append(".withNorm(NormKind.").append(model.norm()).append(')');
        }
        if (model.placement() != base.placement()) {
            imports.add("dev.dojo.reference.TransformerBlock.Placement");
            s.append(".withPlacement(Placement.").append(model.placement()).append(')');
        }
        if (model.feedForward() != base.feedForward()) {
            imports.add("dev.dojo.kit.ModelConfig.FeedForwardKind");
            s.append(".withFeedForward(FeedForwardKind.").append(model.feedForward()).append(')');
        }
        return "new DrillConfig(\n            " + s + ",\n            RopePairing." + pairing + ", MaskLayout."
                + layout.name() + ")";
    }
}
