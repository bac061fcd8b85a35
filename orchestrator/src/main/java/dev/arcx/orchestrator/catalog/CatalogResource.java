package dev.arcx.orchestrator.catalog;

import dev.arcx.common.http.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;

/** The public catalog: tiers, flavors, add-ons and their compatibility. No authentication. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {
    private final CatalogService catalog;

    CatalogResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GET
    @Path("/resource-tiers")
    public Uni<List<ResourceTier>> tiers() {
        return catalog.tiers();
    }

    @GET
    @Path("/resource-tiers/{id}")
    public Uni<ResourceTier> tier(@PathParam("id") String id) {
        return catalog.tier(id).onItem().ifNull().failWith(() -> ApiException.notFound("no resource tier '" + id + "'"));
    }

    @GET
    @Path("/flavors")
    public Uni<List<Flavor>> flavors() {
        return catalog.flavors();
    }

    @GET
    @Path("/flavors/{id}")
    public Uni<Flavor> flavor(@PathParam("id") String id) {
        return catalog.flavor(id).onItem().ifNull().failWith(() -> ApiException.notFound("no flavor '" + id + "'"));
    }

    @GET
    @Path("/addons")
    public Uni<List<Addon>> addons() {
        return catalog.addons();
    }

    @GET
    @Path("/addons/{id}")
    public Uni<Addon> addon(@PathParam("id") String id) {
        return catalog.addon(id).onItem().ifNull().failWith(() -> ApiException.notFound("no add-on '" + id + "'"));
    }

    /** {@code ?tier=builder&addons=gui,code-server}: can add-on {@code id} join that tier and those add-ons? */
    @GET
    @Path("/addons/{id}/compatibility")
    public Uni<CompatibilityReport> compatibility(@PathParam("id") String id, @QueryParam("tier") String tier,
            @QueryParam("addons") String addons) {
        List<String> others = addons == null || addons.isBlank() ? List.of()
                : Arrays.stream(addons.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return catalog.compatibility(id, tier, others)
                .onItem().ifNull().failWith(() -> ApiException.notFound("no add-on '" + id + "'"));
    }
}
