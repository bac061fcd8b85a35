package dev.arcx.imagebuilder.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog's image facts (seed 001), read from the orchestrator's tables: the catalog is the one list of flavors
 * and add-ons, so the image-builder never holds its own copy.
 */
@ApplicationScoped
public class CatalogRepository {
    private final Pool db;

    CatalogRepository(Pool db) {
        this.db = db;
    }

    /** A flavor and its image repository ({@code arcx-js}). */
    public record FlavorImage(String id, String repository) {
    }

    /** An add-on, its image suffix ({@code -code}) and the add-ons it cannot be combined with. */
    public record AddonImage(String id, String suffix, List<String> incompatibleWith) {
    }

    public Uni<FlavorImage> flavor(String id) {
        return db.preparedQuery("SELECT id, base_image FROM container_flavors WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? flavorOf(rows.iterator().next()) : null);
    }

    public Uni<List<FlavorImage>> flavors() {
        return db.query("SELECT id, base_image FROM container_flavors ORDER BY sort_order").execute()
                .map(rows -> {
                    List<FlavorImage> all = new ArrayList<>();
                    rows.forEach(row -> all.add(flavorOf(row)));
                    return all;
                });
    }

    public Uni<List<AddonImage>> addons() {
        return db.query("SELECT id, image_suffix, incompatible_with FROM container_addons ORDER BY sort_order")
                .execute().map(rows -> {
                    List<AddonImage> all = new ArrayList<>();
                    for (Row row : rows) {
                        List<String> incompatible = new ArrayList<>();
                        new JsonArray(row.getString("incompatible_with")).forEach(v -> incompatible.add(v.toString()));
                        all.add(new AddonImage(row.getString("id"), row.getString("image_suffix"), incompatible));
                    }
                    return all;
                });
    }

    private static FlavorImage flavorOf(Row row) {
        return new FlavorImage(row.getString("id"), row.getString("base_image"));
    }
}
