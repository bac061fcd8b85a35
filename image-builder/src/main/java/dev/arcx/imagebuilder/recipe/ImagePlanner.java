package dev.arcx.imagebuilder.recipe;

import dev.arcx.common.http.ApiException;
import dev.arcx.common.images.ImageSelection;
import dev.arcx.imagebuilder.catalog.CatalogRepository;
import dev.arcx.imagebuilder.catalog.CatalogRepository.AddonImage;
import dev.arcx.imagebuilder.config.ImageBuilderConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns a selection into its build chain (seed 001): base, then the flavor, then one layer per add-on in the order
 * of their image suffixes, each image named {@code arcx-<flavor><suffix...>:<version>}. Refuses unknown or
 * incompatible selections and selections without recipes, before anything is built.
 */
@ApplicationScoped
public class ImagePlanner {
    /** The base layer's repository; flavors come from the catalog. */
    static final String BASE_REPOSITORY = "arcx-base";

    private final CatalogRepository catalog;
    private final Recipes recipes;
    private final ImageBuilderConfig config;

    ImagePlanner(CatalogRepository catalog, Recipes recipes, ImageBuilderConfig config) {
        this.catalog = catalog;
        this.recipes = recipes;
        this.config = config;
    }

    /** The chain of a selection; the last layer is the image asked for. */
    public record Plan(List<Layer> layers) {
        public Layer target() {
            return layers.getLast();
        }
    }

    public Uni<Plan> plan(ImageSelection selection) {
        if (selection == null || selection.flavor() == null || selection.flavor().isBlank()) {
            return Uni.createFrom().failure(ApiException.badRequest("'flavor' is required"));
        }
        return catalog.flavor(selection.flavor()).flatMap(flavor -> {
            if (flavor == null) {
                return catalog.flavors().map(all -> {
                    throw ApiException.badRequest("unknown flavor '" + selection.flavor() + "'; flavors: "
                            + all.stream().map(CatalogRepository.FlavorImage::id).toList());
                });
            }
            return catalog.addons().map(all -> chain(flavor, addons(selection.addons(), all)));
        });
    }

    private static List<AddonImage> addons(List<String> wanted, List<AddonImage> all) {
        Map<String, AddonImage> byId = all.stream().collect(Collectors.toMap(AddonImage::id, Function.identity()));
        Set<String> seen = new HashSet<>();
        List<AddonImage> chosen = new ArrayList<>();
        for (String id : wanted) {
            AddonImage addon = byId.get(id);
            if (addon == null) {
                throw ApiException.badRequest("unknown add-on '" + id + "'; add-ons: "
                        + all.stream().map(AddonImage::id).toList());
            }
            if (!seen.add(id)) {
                throw ApiException.badRequest("add-on '" + id + "' is listed twice");
            }
            chosen.add(addon);
        }
        for (AddonImage addon : chosen) {
            for (String other : addon.incompatibleWith()) {
                if (seen.contains(other)) {
                    throw ApiException.badRequest("add-on '" + addon.id() + "' cannot be combined with '" + other + "'");
                }
            }
        }
        chosen.sort(Comparator.comparing(AddonImage::suffix));
        return chosen;
    }

    private Plan chain(CatalogRepository.FlavorImage flavor, List<AddonImage> addons) {
        String version = config.images().version();
        List<Layer> layers = new ArrayList<>();
        Path base = recipes.base();
        String baseHash = recipes.hash(base, "base", config.images().baseImage(), config.images().bootstrapSuite(),
                recipes.extraCaDigest());
        layers.add(new Layer(Layer.Kind.BASE, "base", BASE_REPOSITORY + ":" + version, null, base, baseHash));
        Path flavorRecipe = recipes.flavor(flavor.id()).orElseThrow(() -> ApiException.badRequest(
                "flavor '" + flavor.id() + "' has no recipe in " + config.images().recipes() + " yet"));
        String repository = flavor.repository();
        layers.add(new Layer(Layer.Kind.FLAVOR, flavor.id(), repository + ":" + version, layers.getLast().image(),
                flavorRecipe, recipes.hash(flavorRecipe, baseHash)));
        for (AddonImage addon : addons) {
            Path recipe = recipes.addon(addon.id()).orElseThrow(() -> ApiException.badRequest(
                    "add-on '" + addon.id() + "' has no recipe in " + config.images().recipes() + " yet"));
            repository += addon.suffix();
            Layer below = layers.getLast();
            layers.add(new Layer(Layer.Kind.ADDON, addon.id(), repository + ":" + version, below.image(), recipe,
                    recipes.hash(recipe, below.hash())));
        }
        return new Plan(List.copyOf(layers));
    }
}
