package dev.arcx.common.images;

import java.util.List;
import java.util.Objects;

/**
 * A flavor and its add-ons: what an image is built from (seed 001). The add-on order carries no meaning; the
 * image-builder sorts them by image suffix.
 */
public record ImageSelection(String flavor, List<String> addons) {
    public ImageSelection {
        Objects.requireNonNull(flavor, "flavor");
        addons = addons == null ? List.of() : List.copyOf(addons);
    }
}
