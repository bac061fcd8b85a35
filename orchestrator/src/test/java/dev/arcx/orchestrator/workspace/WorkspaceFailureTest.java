package dev.arcx.orchestrator.workspace;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.deleteWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.get;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.engine.TestEngine;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A workspace that cannot come up ends `failed` with a reason a user can act on, within a bounded wait. */
@QuarkusTest
@TestProfile(WorkspaceFailureTest.BrokenImages.class)
@QuarkusTestResource(WorkspaceImageResource.class)
class WorkspaceFailureTest {

    /** Three flavors mapped to images that each fail differently. */
    public static class BrokenImages implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "arcx.workspaces.start-timeout", "4s",
                    "arcx.images.flavor.go", "arcx-test-missing:never-built",
                    "arcx.images.flavor.rust", TestEngine.workspaceImageRunning("silent", "exec sleep 3600"),
                    "arcx.images.flavor.python", TestEngine.workspaceImageRunning("crashing", "echo boom-at-start; exit 3"));
        }
    }

    @Test
    void missingImage() {
        expectFailure("go", "image 'arcx-test-missing:never-built' is not available on this host");
    }

    @Test
    void ideNeverAnswers() {
        expectFailure("rust", "the IDE did not answer on port 8080 within 4s");
    }

    @Test
    void containerCrashesAtStart() {
        expectFailure("python", "exited with code 3", "boom-at-start");
    }

    @Test
    void theGpuAddOnAsksTheEngineForNvidiaGpus() {
        // No GPU and no NVIDIA runtime here: the engine's refusal of the device request shows the request is made,
        // and the workspace says why it cannot run instead of running without its GPU.
        TestUser user = Api.newUser("pro");
        String id = as(user.token()).body(Map.of("name", "with-gpu", "flavorId", "fullstack", "resourceTierId",
                "creator", "addonIds", java.util.List.of("gpu"))).post("/api/workspaces").then().statusCode(201)
                .extract().path("id");
        awaitStatus(user, id, "failed");
        get(user, id).body("statusReason", allOf(containsString("the engine refused the workspace"),
                containsString("nvidia")));
        deleteWorkspace(user, id);
    }

    private static void expectFailure(String flavor, String... reason) {
        TestUser user = Api.newUser("pro");
        String id = as(user.token()).body(Map.of("name", "broken-" + flavor, "flavorId", flavor))
                .post("/api/workspaces").then().statusCode(201).extract().path("id");
        awaitStatus(user, id, "failed");
        get(user, id).body("statusReason", allOf(java.util.Arrays.stream(reason)
                .map(r -> containsString(r)).toList().toArray(new org.hamcrest.Matcher[0])));
        // The lifecycle's own move is audited as the system's, with the reason.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> Api.admin().queryParam("targetId", id)
                .queryParam("action", "workspace.failed").get("/api/admin/audit").then().statusCode(200)
                .body("entries[0].actor", equalTo("system"))
                .body("entries[0].details.reason", containsString(reason[0])));
        deleteWorkspace(user, id);
    }
}
