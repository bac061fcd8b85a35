package dev.arcx.imagebuilder.recipe;

import java.nio.file.Path;

/**
 * One image of a build chain: built from {@code recipe} on top of {@code parent} (the previous layer's image; null
 * for the base, which starts from the root image), tagged {@code image}, labelled with {@code hash}.
 *
 * @param hash covers this layer's recipe and every layer below it, so a change anywhere down the chain rebuilds
 *     everything above
 */
public record Layer(Kind kind, String id, String image, String parent, Path recipe, String hash) {
    public enum Kind {
        BASE, FLAVOR, ADDON
    }

    /** How progress names it: {@code base}, {@code flavor js}, {@code add-on code-server}. */
    public String title() {
        return switch (kind) {
            case BASE -> "base";
            case FLAVOR -> "flavor " + id;
            case ADDON -> "add-on " + id;
        };
    }
}
