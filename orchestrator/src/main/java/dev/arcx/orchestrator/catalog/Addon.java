package dev.arcx.orchestrator.catalog;

import java.util.List;
import java.util.Map;

/** A row of {@code container_addons}, its JSON columns decoded. */
public record Addon(String id, String name, String description, String imageSuffix, String extraCpu,
        String extraMemory, List<Integer> extraPorts, Map<String, String> extraEnv, String requiresTier,
        List<String> incompatibleWith, int monthlyPriceCents, int sortOrder) {
}
