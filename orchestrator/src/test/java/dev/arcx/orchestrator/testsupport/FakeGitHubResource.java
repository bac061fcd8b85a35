package dev.arcx.orchestrator.testsupport;

import dev.arcx.testkit.fakes.FakeGitHub;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts the fake GitHub and points the orchestrator's GitHub OAuth app and API at it. Global, like the workspace
 * image: every test application signs in against it, except profiles that disable global resources (local mode).
 */
public class FakeGitHubResource implements QuarkusTestResourceLifecycleManager {
    private static volatile FakeGitHub github;

    public static FakeGitHub github() {
        return github;
    }

    @Override
    public Map<String, String> start() {
        github = new FakeGitHub();
        return Map.of("arcx.github.client-id", FakeGitHub.CLIENT_ID,
                "arcx.github.client-secret", FakeGitHub.CLIENT_SECRET,
                "arcx.github.url", github.url(),
                "arcx.github.api-url", github.url());
    }

    @Override
    public void stop() {
        if (github != null) {
            github.close();
        }
    }
}
