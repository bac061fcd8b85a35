package dev.arcx.imagebuilder.testsupport;

import dev.arcx.testkit.TestSettings;
import dev.arcx.testkit.engine.TestEngine;
import dev.arcx.testkit.engine.TestRecipes;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Sets the stage before Quarkus starts: a tiny root image from the host's static busybox, and a copy of the test
 * recipes the tests may edit.
 */
public class BuilderTestResource implements QuarkusTestResourceLifecycleManager {
    private static final String ROOT_REPOSITORY = "arcx-test-root";
    /** This run's image version: every image the tests build is new, and removed at the end. */
    public static final String VERSION = "t" + java.util.UUID.randomUUID().toString().substring(0, 8);
    private static Path recipes;

    /** The recipe tree the service builds from: a copy, so tests can change and break recipes. */
    public static synchronized Path recipes() {
        if (recipes == null) {
            recipes = TestRecipes.copy("arcx-test-recipes");
        }
        return recipes;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("arcx.images.recipes", recipes().toString(), "arcx.images.version", VERSION,
                "arcx.images.base-image", rootImage(),
                "arcx.images.bootstrap-script",
                TestSettings.repositoryRoot().resolve("images/bootstrap-rootfs.sh").toString());
    }

    @Override
    public void stop() {
        // The root image stays, cached by content hash; this run's images go.
        TestEngine.removeImagesTagged(VERSION);
    }

    /** busybox on an empty image, tagged by the hash of its inputs so an unchanged one is reused. */
    public static synchronized String rootImage() {
        try {
            return TestEngine.busyboxImage(ROOT_REPOSITORY, Map.of("Dockerfile",
                    Files.readAllBytes(TestSettings.repositoryRoot().resolve(
                            "image-builder/src/test/resources/root-image/Dockerfile"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
