package dev.dojo.drills;

import dev.dojo.variants.Variant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A drill: one known-bad variant's bug planted in its reference part, in a drawn model. The same
 * seed and the same candidates give the same drill, so a pair can share one by its seed.
 *
 * @param id      six hex digits naming this drill (its variant, step, model and seed): its folder
 * @param seed    what drew it, and the seed its tests run at
 * @param variant the bug planted
 * @param step    the method whose body holds it
 * @param config  the model and the first case's mask layout
 */
public record Drill(String id, long seed, Variant variant, String step, DrillConfig config) {

    /** Draws a drill from {@code candidates} (in a fixed order) with {@code seed}. */
    public static Drill draw(long seed, List<Variant> candidates) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no known bug fits: nothing to draw");
        }
        SplittableRandom random = new SplittableRandom(seed);
        Variant variant = candidates.get(random.nextInt(candidates.size()));
        String step = Planter.step(variant);
        DrillConfig config = DrillConfig.draw(random, variant, DrillPart.of(variant), step);
        return new Drill(id(variant.name(), step, config, seed), seed, variant, step, config);
    }

    /** The part the bug is planted in. */
    public DrillPart part() {
        return DrillPart.of(variant);
    }

    /** The planted source and its fix. */
    public Planted planted() {
        return Planter.plant(variant);
    }

    /** How hard it is, 1 to 5 stars. */
    public int difficulty() {
        return Difficulty.of(variant);
    }

    static String id(String variant, String step, DrillConfig config, long seed) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((variant + "|" + step + "|" + config + "|" + seed).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }
}
