package dev.dojo.drills;

import dev.dojo.variants.Variant;
import dev.dojo.variants.Variants;

import java.util.List;
import java.util.Set;

/** Which known bugs a drill may be drawn from: every variant, narrowed by topic, difficulty or bug class. */
public final class Drills {
    private Drills() {}

    /** What a drill's model can have: the features of the bugs a drill can be planted for. */
    private static final Set<Variant.Feature> DRAWN = Set.of(Variant.Feature.ROPE, Variant.Feature.GROUPED_KV_HEADS,
            Variant.Feature.PRE_NORM, Variant.Feature.POST_NORM);

    /**
     * The variants a drill can be planted for, in {@link Variants#all()}'s order: those that break a part a
     * drill is made of, in a model a drill can draw (no sliding window or cross-attention yet).
     */
    public static List<Variant> plantable() {
        return Variants.all().stream()
                .filter(v -> DrillPart.plants(v) && DRAWN.containsAll(v.needs()))
                .toList();
    }

    /**
     * The {@link #plantable()} variants, in their order, whose part has {@code topic} (null: any),
     * whose difficulty is {@code difficulty} (null: any), and whose bug class is in {@code families}
     * (null: any).
     */
    public static List<Variant> candidates(String topic, Integer difficulty, Set<String> families) {
        if (topic != null && !DrillPart.topics().contains(topic.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("no topic '" + topic + "': drills are planted in "
                    + String.join(", ", DrillPart.topics()));
        }
        if (difficulty != null && (difficulty < 1 || difficulty > 5)) {
            throw new IllegalArgumentException("difficulty must be from 1 to 5 stars, not " + difficulty);
        }
        return plantable().stream()
                .filter(v -> topic == null || DrillPart.of(v).hasTopic(topic))
                .filter(v -> difficulty == null || Difficulty.of(v) == difficulty)
                .filter(v -> families == null || families.contains(v.family()))
                .toList();
    }
}
