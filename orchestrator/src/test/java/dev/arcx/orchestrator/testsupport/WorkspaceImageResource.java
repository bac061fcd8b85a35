package dev.arcx.orchestrator.testsupport;

import dev.arcx.testkit.engine.TestEngine;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Builds the tiny workspace image before Quarkus starts and points every flavor at it. */
public class WorkspaceImageResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        // This variable outranks the test profile; a test run under a real installation's name would reconcile
        // (and remove) that installation's containers.
        if (System.getenv("ARCX_INSTALLATION") != null) {
            throw new IllegalStateException("unset ARCX_INSTALLATION before running tests (./arcx test does); "
                    + "use ARCX_TEST_INSTALLATION to name the tests' installation");
        }
        return Map.of("arcx.images.default-image", TestEngine.workspaceImage());
    }

    @Override
    public void stop() {
        // The image is cached by content hash for the next run.
    }
}
