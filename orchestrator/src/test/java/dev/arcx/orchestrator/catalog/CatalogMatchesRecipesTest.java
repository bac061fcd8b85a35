package dev.arcx.orchestrator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The catalog (what users choose, and the image name the orchestrator expects) and the recipes' declarations (what
 * the image-builder builds and names) say the same: every flavor and add-on has a recipe, under the catalog's
 * repository and suffix, excluding the same add-ons. The image-builder never reads the catalog, so this is where a
 * drift between the two shows.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class CatalogMatchesRecipesTest {
    private static final Path ROOT = Path.of(System.getProperty("test.repository.root", "..")).toAbsolutePath()
            .normalize();

    @Inject
    CatalogService catalog;

    @Test
    void everyFlavorAndAddOnHasARecipeDeclaringTheCatalogsNames() {
        check(ROOT.resolve("images/recipes"), true);
    }

    /** The tests' recipe set (busybox steps) is a part of the catalog under the same names. */
    @Test
    void theTestRecipesDeclareTheCatalogsNamesToo() {
        check(ROOT.resolve("image-builder/src/test/resources/recipes"), false);
    }

    private void check(Path recipes, boolean complete) {
        Catalog snapshot = catalog.snapshot().await().indefinitely();
        int flavors = 0;
        for (Flavor flavor : snapshot.flavors()) {
            Path dir = recipes.resolve("flavors").resolve(flavor.id());
            if (!complete && !Files.isDirectory(dir)) {
                continue;
            }
            flavors++;
            assertEquals(flavor.baseImage(), declaration(dir).getProperty("repository"), "flavor " + flavor.id());
        }
        int addons = 0;
        for (Addon addon : snapshot.addons()) {
            Path dir = recipes.resolve("addons").resolve(addon.id());
            if (!complete && !Files.isDirectory(dir)) {
                continue;
            }
            addons++;
            Properties declared = declaration(dir);
            assertEquals(addon.imageSuffix(), declared.getProperty("suffix"), "add-on " + addon.id());
            Set<String> excluded = Stream.of(declared.getProperty("incompatible-with", "").split(","))
                    .map(String::trim).filter(id -> !id.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(addon.incompatibleWith()), excluded, "add-on " + addon.id());
        }
        assertTrue(flavors > 0 && addons > 0, "no recipe of the catalog found in " + recipes);
    }

    private static Properties declaration(Path dir) {
        Properties declared = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve("recipe.properties"))) {
            declared.load(in);
        } catch (IOException e) {
            throw new AssertionError("no readable declaration in " + dir, e);
        }
        return declared;
    }
}
