package dev.arcx.orchestrator.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import dev.arcx.orchestrator.support.Rows;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** SQL over the catalog tables. */
@ApplicationScoped
public class CatalogRepository {
    private final Pool pool;
    private final ObjectMapper json;

    CatalogRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    public Uni<List<ResourceTier>> tiers() {
        return pool.query("SELECT * FROM resource_tiers ORDER BY sort_order").execute().map(rows -> Rows.all(rows, this::tier));
    }

    public Uni<ResourceTier> tier(String id) {
        return pool.preparedQuery("SELECT * FROM resource_tiers WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, this::tier));
    }

    public Uni<List<Flavor>> flavors() {
        return pool.query("SELECT * FROM container_flavors ORDER BY sort_order").execute()
                .map(rows -> Rows.all(rows, this::flavor));
    }

    public Uni<Flavor> flavor(String id) {
        return pool.preparedQuery("SELECT * FROM container_flavors WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, this::flavor));
    }

    public Uni<List<Addon>> addons() {
        return pool.query("SELECT * FROM container_addons ORDER BY sort_order").execute()
                .map(rows -> Rows.all(rows, this::addon));
    }

    public Uni<Addon> addon(String id) {
        return pool.preparedQuery("SELECT * FROM container_addons WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, this::addon));
    }

    private ResourceTier tier(Row r) {
        return new ResourceTier(r.getString("id"), r.getString("name"), r.getString("description"),
                r.getString("cpu_limit"), r.getString("memory_limit"), r.getString("memory_reservation"),
                r.getInteger("storage_gb"), r.getInteger("monthly_price_cents"), r.getInteger("is_default") != 0,
                r.getInteger("sort_order"));
    }

    private Flavor flavor(Row r) {
        return new Flavor(r.getString("id"), r.getString("name"), r.getString("description"),
                r.getString("base_image"), decode(r.getString("languages"), new TypeReference<>() {}),
                decode(r.getString("frameworks"), new TypeReference<>() {}),
                decode(r.getString("tools"), new TypeReference<>() {}), r.getInteger("estimated_size_mb"),
                r.getInteger("is_default") != 0, r.getInteger("sort_order"));
    }

    private Addon addon(Row r) {
        return new Addon(r.getString("id"), r.getString("name"), r.getString("description"),
                r.getString("image_suffix"), r.getString("extra_cpu"), r.getString("extra_memory"),
                decode(r.getString("extra_ports"), new TypeReference<List<Integer>>() {}),
                decode(r.getString("extra_env"), new TypeReference<Map<String, String>>() {}),
                r.getString("requires_tier"), decode(r.getString("incompatible_with"), new TypeReference<List<String>>() {}),
                r.getInteger("monthly_price_cents"), r.getInteger("sort_order"));
    }

    private <T> T decode(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException("catalog column holds invalid JSON: " + text, e);
        }
    }
}
