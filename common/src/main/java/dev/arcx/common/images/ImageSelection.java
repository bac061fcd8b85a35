package dev.arcx.common.images;

import java.util.List;

/**
 * A flavor and its add-ons, by id: what an image is built from. Callers name recipes, never images: the image's
 * name, the order of the add-on layers and which add-ons cannot be layered together are what the image-builder's
 * recipes declare (see {@code images/recipes/README.md}). The add-on order here carries no meaning.
 *
 * @param version payload schema version, {@link #CURRENT_VERSION} when written by this code; absent (0) is read as
 *     the first version, and the image-builder refuses a version newer than it reads
 * @param flavor the flavor's id ({@code js}); a missing one is left for the image-builder to refuse with a reason
 * @param addons the add-ons' ids ({@code code-server})
 */
public record ImageSelection(int version, String flavor, List<String> addons) {
    public static final int CURRENT_VERSION = 1;

    public ImageSelection {
        addons = addons == null ? List.of() : List.copyOf(addons);
    }

    /** A selection in the current version. */
    public static ImageSelection of(String flavor, List<String> addons) {
        return new ImageSelection(CURRENT_VERSION, flavor, addons);
    }
}
