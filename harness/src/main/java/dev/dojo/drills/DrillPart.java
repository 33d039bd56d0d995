package dev.dojo.drills;

import ai.djl.ndarray.NDManager;
import dev.dojo.kit.Kit;
import dev.dojo.reference.Attention;
import dev.dojo.reference.LayerNorm;
import dev.dojo.reference.Linear;
import dev.dojo.reference.RmsNorm;
import dev.dojo.reference.RotaryEmbedding;
import dev.dojo.reference.TransformerBlock;
import dev.dojo.variants.Variant;

import java.util.List;
import java.util.Locale;

/**
 * The reference parts a drill can be planted in: each a class of {@code dev.dojo.reference} whose
 * steps the known-bad variants override, and the topic a pair asks for it by.
 */
public enum DrillPart {
    ATTENTION("attention", Attention.class, Kit.Part.ATTENTION),
    ROTARY("rope", RotaryEmbedding.class, Kit.Part.ROTARY),
    LAYER_NORM("norm", LayerNorm.class, Kit.Part.LAYER_NORM),
    RMS_NORM("norm", RmsNorm.class, Kit.Part.RMS_NORM),
    BLOCK("block", TransformerBlock.class, Kit.Part.BLOCK);

    private final String topic;
    private final Class<?> reference;
    private final Kit.Part part;

    DrillPart(String topic, Class<?> reference, Kit.Part part) {
        this.topic = topic;
        this.reference = reference;
        this.part = part;
    }

    /** What {@code ./kata blind --topic} calls this part: attention, rope, norm or block. */
    public String topic() {
        return topic;
    }

    /** The topics, each once, in the order of the parts. */
    public static List<String> topics() {
        return List.of("attention", "rope", "norm", "block");
    }

    /** The reference class a drill of this part is the source of. */
    public Class<?> reference() {
        return reference;
    }

    /** The class's simple name, which the drill's class keeps: "Attention". */
    public String className() {
        return reference.getSimpleName();
    }

    /** The kit part it is. */
    public Kit.Part kitPart() {
        return part;
    }

    /** True when {@code variant} breaks a part a drill can be made of. */
    public static boolean plants(Variant variant) {
        Kit.Part replaced = variant.kit().replaced().iterator().next();
        for (DrillPart p : values()) {
            if (p.part == replaced) {
                return true;
            }
        }
        return false;
    }

    /** The part {@code variant} replaces. */
    public static DrillPart of(Variant variant) {
        Kit.Part replaced = variant.kit().replaced().iterator().next();
        for (DrillPart p : values()) {
            if (p.part == replaced) {
                return p;
            }
        }
        throw new IllegalArgumentException("variant " + variant.name() + " replaces " + replaced
                + ", a part no drill is planted in");
    }

    /** True when {@code topic} (any case) names this part's topic. */
    public boolean hasTopic(String topicName) {
        return topic.equals(topicName.toLowerCase(Locale.ROOT));
    }

    /**
     * One instance of the part {@code kit} builds here, on placeholder weights: its class is the
     * variant's class for a variant's kit.
     */
    Object sample(Kit kit, NDManager manager) {
        Linear square = new Linear(manager.zeros(new ai.djl.ndarray.types.Shape(8, 8)), null);
        return switch (this) {
            case ATTENTION -> kit.attention().make(square, square, square, square, 2, 2, null);
            case ROTARY -> kit.rotary().make(4, 10_000);
            case LAYER_NORM -> kit.layerNorm().make(null, null, 1e-5);
            case RMS_NORM -> kit.rmsNorm().make(null, 1e-6);
            case BLOCK -> kit.block().make(TransformerBlock.Placement.PRE_NORM, null, null, null, null);
        };
    }
}
