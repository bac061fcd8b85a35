package dev.arcx.orchestrator.catalog;

/** A row of {@code resource_tiers}. Quantities keep the catalog's notation ("2Gi", "1"). */
public record ResourceTier(String id, String name, String description, String cpuLimit, String memoryLimit,
        String memoryReservation, int storageGb, int monthlyPriceCents, boolean isDefault, int sortOrder) {
}
