package dev.arcx.orchestrator.catalog;

import dev.arcx.orchestrator.config.OrchestratorConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Catalog reads; the combination rules live in {@link Catalog}. */
@ApplicationScoped
public class CatalogService {
    private final CatalogRepository repository;
    private final OrchestratorConfig config;

    CatalogService(CatalogRepository repository, OrchestratorConfig config) {
        this.repository = repository;
        this.config = config;
    }

    public Uni<List<ResourceTier>> tiers() {
        return repository.tiers();
    }

    public Uni<ResourceTier> tier(String id) {
        return repository.tier(id);
    }

    public Uni<List<Flavor>> flavors() {
        return repository.flavors();
    }

    public Uni<Flavor> flavor(String id) {
        return repository.flavor(id);
    }

    public Uni<List<Addon>> addons() {
        return repository.addons();
    }

    public Uni<Addon> addon(String id) {
        return repository.addon(id);
    }

    /** The whole catalog in one load, for pure computations over many workspaces. */
    public Uni<Catalog> snapshot() {
        return Uni.combine().all().unis(repository.tiers(), repository.flavors(), repository.addons())
                .with((tiers, flavors, addons) -> new Catalog(tiers, flavors, addons, config.images().version()));
    }

    /** Validates a selection and adds it up; every problem of the selection is reported at once as a 400. */
    public Uni<Composition> compose(String tierId, String flavorId, List<String> addonIds) {
        return snapshot().map(catalog -> catalog.compose(tierId, flavorId, addonIds));
    }

    /** The answer of {@code GET /api/addons/{id}/compatibility}; null when the add-on does not exist. */
    public Uni<CompatibilityReport> compatibility(String addonId, String tierId, List<String> otherAddonIds) {
        return snapshot().map(catalog -> catalog.compatibility(addonId, tierId, otherAddonIds));
    }
}
