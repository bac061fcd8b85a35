package dev.arcx.orchestrator.testsupport;

import dev.arcx.testkit.TestSettings;
import dev.arcx.testkit.engine.TestEngine;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Builds the tiny workspace image before Quarkus starts and points every flavor at it. */
public class WorkspaceImageResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        TestSettings.refuseRealInstallation();
        return Map.of("arcx.images.default-image", TestEngine.workspaceImage());
    }

    @Override
    public void stop() {
        // The image is cached by content hash for the next run.
    }
}
