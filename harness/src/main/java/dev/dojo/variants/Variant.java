package dev.dojo.variants;

import dev.dojo.kit.Kit;
import dev.dojo.kit.ModelConfig;
import dev.dojo.reference.TransformerBlock.Placement;

import java.util.Set;

/**
 * A deliberately wrong implementation, as a kit with one part replaced: the probes are tested
 * against these (each must kill at least one), and their kill patterns are the signatures the
 * diagnosis matches a learner's failures against.
 *
 * @param name   a short id, e.g. "mask-on-query-axis"
 * @param family the bug class a coach names, e.g. "mask broadcast on the wrong axis"
 * @param bug    what is wrong, in one sentence
 * @param kit    the reference kit with the wrong part in place
 * @param needs  what a model must have for this bug to exist in it (RoPE, grouped KV heads, …)
 */
public record Variant(String name, String family, String bug, Kit kit, Set<Feature> needs) {

    /** A property of a model's configuration that some bugs need: a model without RoPE has no RoPE bug. */
    public enum Feature {
        ROPE, GROUPED_KV_HEADS, PRE_NORM, POST_NORM, SLIDING_WINDOW, CROSS_ATTENTION;

        boolean of(ModelConfig c) {
            return switch (this) {
                case ROPE -> c.rope();
                // with one KV head (multi-query) every query head reads it: how heads group cannot matter
                case GROUPED_KV_HEADS -> c.kvHeads() > 1 && c.kvHeads() < c.heads();
                case PRE_NORM -> c.placement() == Placement.PRE_NORM;
                case POST_NORM -> c.placement() == Placement.POST_NORM;
                case SLIDING_WINDOW -> c.window() > 0;
                case CROSS_ATTENTION -> c.crossAttention();
            };
        }
    }

    public Variant {
        needs = Set.copyOf(needs);
    }

    /** A variant that any model with its replaced part can have. */
    public Variant(String name, String family, String bug, Kit kit) {
        this(name, family, bug, kit, Set.of());
    }

    /**
     * True when this bug could be in {@code component}: the component's kit replaces the part this
     * variant breaks, and its model has every feature the bug needs.
     */
    public boolean appliesTo(Kit component) {
        return component.replaced().containsAll(kit.replaced())
                && needs.stream().allMatch(f -> f.of(component.config()));
    }
}
