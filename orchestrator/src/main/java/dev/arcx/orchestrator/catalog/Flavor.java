package dev.arcx.orchestrator.catalog;

import java.util.List;

/** A row of {@code container_flavors}, its JSON columns decoded. */
public record Flavor(String id, String name, String description, String baseImage, List<String> languages,
        List<String> frameworks, List<String> tools, int estimatedSizeMb, boolean isDefault, int sortOrder) {
}
