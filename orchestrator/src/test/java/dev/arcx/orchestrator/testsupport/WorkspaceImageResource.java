package dev.arcx.orchestrator.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Builds the tiny workspace image before Quarkus starts and points every flavor at it. */
public class WorkspaceImageResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of("arcx.images.default-image", TestEngine.workspaceImage());
    }

    @Override
    public void stop() {
        // The image is cached by content hash for the next run.
    }
}
