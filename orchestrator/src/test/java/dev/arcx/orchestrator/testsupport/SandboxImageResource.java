package dev.arcx.orchestrator.testsupport;

import dev.arcx.testkit.engine.SandboxImage;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Builds the sandbox runtime image before Quarkus starts and points the sandbox at it. */
public class SandboxImageResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of("arcx.sandbox.image", SandboxImage.tag());
    }

    @Override
    public void stop() {
        // The image is cached by content hash for the next run.
    }
}
