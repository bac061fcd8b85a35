package dev.arcx.orchestrator.catalog;

/** A row of {@code resource_tiers} (seed 001). Quantities keep the seed's notation ("2Gi", "1"). */
public record ResourceTier(String id, String name, String description, String cpuLimit, String memoryLimit,
        String memoryReservation, int storageGb, int monthlyPriceCents, boolean isDefault, int sortOrder) {
}
