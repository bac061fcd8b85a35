package dev.arcx.common.images;

import java.util.List;

/**
 * A flavor and its add-ons: what an image is built from (seed 001). The add-on order carries no meaning; the
 * image-builder sorts them by image suffix.
 */
public record ImageSelection(String flavor, List<String> addons) {
    /** A missing flavor is left for the image-builder to refuse with a reason. */
    public ImageSelection {
        addons = addons == null ? List.of() : List.copyOf(addons);
    }
}
