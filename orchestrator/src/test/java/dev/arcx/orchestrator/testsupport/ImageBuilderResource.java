package dev.arcx.orchestrator.testsupport;

import dev.arcx.testkit.TestSettings;
import dev.arcx.testkit.engine.TestEngine;
import dev.arcx.testkit.engine.TestRecipes;
import dev.arcx.testkit.process.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * A real image-builder beside the orchestrator under test: the packaged service as a child process, building a copy
 * of its own test recipes (busybox steps, seconds) on the tests' workspace image as root, under a version of this
 * run's own.
 */
public class ImageBuilderResource implements QuarkusTestResourceLifecycleManager {
    /** This run's image version: every image is built fresh, and removed at the end. */
    public static final String VERSION = "t" + UUID.randomUUID().toString().substring(0, 8);
    private static Path recipes;
    private static volatile String baseUri;
    private ServiceProcess builder;

    /** Where the running image-builder answers, for tests that call it directly. */
    public static String baseUri() {
        return baseUri;
    }

    /** The recipe tree the image-builder builds from: a copy, so tests can break a recipe. */
    public static synchronized Path recipes() {
        if (recipes == null) {
            recipes = TestRecipes.copy("arcx-orchestrator-recipes");
        }
        return recipes;
    }

    @Override
    public Map<String, String> start() {
        TestSettings.refuseRealInstallation();
        try {
            builder = ServiceProcess.imageBuilder("image-builder-" + VERSION, Map.of(
                    // The orchestrator's installation under test (its test profile's): ask and answer on one NATS.
                    "ARCX_INSTALLATION", TestSettings.installation(),
                    "ARCX_IMAGES_RECIPES", recipes().toString(),
                    "ARCX_IMAGES_VERSION", VERSION,
                    "ARCX_IMAGES_BASE_IMAGE", TestEngine.workspaceImage(),
                    "ARCX_IMAGES_PULL_BASE", "false",
                    "ARCX_IMAGES_BUILD_MEMORY", "512M"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        baseUri = builder.baseUri();
        // No default image: every workspace's image comes from the image-builder.
        return Map.of("arcx.images.version", VERSION, "arcx.images.default-image", "");
    }

    @Override
    public void stop() {
        if (builder != null) {
            builder.process().destroy();
        }
        TestEngine.removeImagesTagged(VERSION);
    }
}
