package dev.arcx.imagebuilder.recipe;

import dev.arcx.common.http.ApiException;
import dev.arcx.common.images.ImageSelection;
import dev.arcx.imagebuilder.config.ImageBuilderConfig;
import dev.arcx.imagebuilder.recipe.Recipes.AddonRecipe;
import dev.arcx.imagebuilder.recipe.Recipes.FlavorRecipe;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a selection into its build chain: base, then the flavor, then one layer per add-on in the order of their
 * image suffixes, each image named {@code <repository><suffix...>:<version>}. Everything but the ids comes from the
 * recipes' own declarations, so a caller chooses recipes, never the names the engine tags. Refuses a selection
 * without recipes, with malformed names or incompatible add-ons before anything is built. Reads files: call it off
 * the event loop.
 */
@ApplicationScoped
public class ImagePlanner {
    /** The base layer's repository; flavors declare theirs. */
    static final String BASE_REPOSITORY = "arcx-base";
    /** A flavor or add-on id: it names a directory of the recipe tree, so nothing that could leave it. */
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** Only arcx's own repositories: a recipe must not re-tag another program's images on the engine. */
    private static final Pattern REPOSITORY = Pattern.compile("arcx-[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern SUFFIX = Pattern.compile("-[a-z0-9][a-z0-9]{0,30}");
    /** Repositories that are not a flavor's: the base and the bootstrapped root filesystem. */
    private static final Set<String> RESERVED = Set.of(BASE_REPOSITORY, "arcx-rootfs");

    private final Recipes recipes;
    private final ImageBuilderConfig config;

    ImagePlanner(Recipes recipes, ImageBuilderConfig config) {
        this.recipes = recipes;
        this.config = config;
    }

    /** The chain of a selection; the last layer is the image asked for. */
    public record Plan(List<Layer> layers) {
        public Layer target() {
            return layers.getLast();
        }
    }

    /**
     * The selection's chain.
     *
     * @throws ApiException (400) when the selection cannot be built; nothing has been built then
     */
    public Plan plan(ImageSelection selection) {
        if (selection == null || selection.flavor() == null || selection.flavor().isBlank()) {
            throw ApiException.badRequest("'flavor' is required");
        }
        if (selection.version() < 0 || selection.version() > ImageSelection.CURRENT_VERSION) {
            throw ApiException.badRequest("selection version " + selection.version() + " is not one this "
                    + "image-builder reads (1 to " + ImageSelection.CURRENT_VERSION + ")");
        }
        try {
            return chain(flavor(selection.flavor()), addons(selection.addons()));
        } catch (Recipes.RecipeException e) {
            throw ApiException.badRequest("the selection cannot be built: " + e.getMessage());
        }
    }

    private FlavorRecipe flavor(String id) {
        checkId("a flavor", id);
        FlavorRecipe flavor = recipes.flavor(id).orElseThrow(() -> ApiException.badRequest("unknown flavor '" + id
                + "': no recipe in " + config.images().recipes() + "; flavors: " + recipes.flavorIds()));
        if (!REPOSITORY.matcher(flavor.repository()).matches() || RESERVED.contains(flavor.repository())) {
            throw ApiException.badRequest("the recipe of flavor '" + id + "' declares no valid image repository ('"
                    + flavor.repository() + "'; wanted arcx-<name>, not " + RESERVED + ")");
        }
        return flavor;
    }

    private List<AddonRecipe> addons(List<String> wanted) {
        Map<String, AddonRecipe> chosen = new HashMap<>();
        for (String id : wanted) {
            if (id == null) {
                throw ApiException.badRequest("'addons' must not hold null");
            }
            checkId("an add-on", id);
            if (chosen.containsKey(id)) {
                throw ApiException.badRequest("add-on '" + id + "' is listed twice");
            }
            AddonRecipe addon = recipes.addon(id).orElseThrow(() -> ApiException.badRequest("unknown add-on '" + id
                    + "': no recipe in " + config.images().recipes() + "; add-ons: " + recipes.addonIds()));
            if (!SUFFIX.matcher(addon.suffix()).matches()) {
                throw ApiException.badRequest("the recipe of add-on '" + id + "' declares no valid image suffix ('"
                        + addon.suffix() + "'; wanted -<letters and digits>)");
            }
            chosen.put(id, addon);
        }
        Set<String> suffixes = new HashSet<>();
        for (String id : wanted) {
            AddonRecipe addon = chosen.get(id);
            for (String other : addon.incompatibleWith()) {
                if (chosen.containsKey(other)) {
                    throw ApiException.badRequest("add-on '" + id + "' cannot be combined with '" + other + "'");
                }
            }
            if (!suffixes.add(addon.suffix())) {
                // Two layers under one name part: the image name would not tell the combinations apart.
                throw ApiException.badRequest("add-ons " + wanted + " declare the image suffix '" + addon.suffix()
                        + "' twice");
            }
        }
        List<AddonRecipe> ordered = new ArrayList<>(chosen.values());
        ordered.sort(Comparator.comparing(AddonRecipe::suffix));
        return ordered;
    }

    private static void checkId(String kind, String id) {
        if (!ID.matcher(id).matches()) {
            throw ApiException.badRequest("'" + id + "' is not " + kind + " id (lower-case letters, digits and '-', "
                    + "up to 63)");
        }
    }

    private Plan chain(FlavorRecipe flavor, List<AddonRecipe> addons) {
        String version = config.images().version();
        List<Layer> layers = new ArrayList<>();
        Path base = recipes.base();
        String baseHash = recipes.hash(base, "base", config.images().baseImage(), config.images().bootstrapSuite(),
                recipes.extraCaDigest());
        layers.add(new Layer(Layer.Kind.BASE, "base", BASE_REPOSITORY + ":" + version, null, base, baseHash));
        String repository = flavor.repository();
        layers.add(new Layer(Layer.Kind.FLAVOR, flavor.id(), repository + ":" + version, layers.getLast().image(),
                flavor.dir(), recipes.hash(flavor.dir(), baseHash)));
        for (AddonRecipe addon : addons) {
            repository += addon.suffix();
            Layer below = layers.getLast();
            layers.add(new Layer(Layer.Kind.ADDON, addon.id(), repository + ":" + version, below.image(),
                    addon.dir(), recipes.hash(addon.dir(), below.hash())));
        }
        return new Plan(List.copyOf(layers));
    }
}
