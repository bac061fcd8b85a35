package dev.arcx.orchestrator.observability;

import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.deleteWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.docker.DockerEngine;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Health, Prometheus metrics and the OpenAPI document. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class ObservabilityTest {
    @Inject
    DockerEngine engine;

    @Test
    void readinessCoversDatabaseNatsAndDocker() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("docker", "nats", "Reactive PostgreSQL connections health check"));
    }

    @Test
    void metricsCountWorkspacesTimeLifecyclesAndCountEngineErrors() {
        TestUser user = Api.newUser("pro");
        String id = createWorkspace(user, "measured", "starter", List.of());
        awaitStatus(user, id, "running");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(containsString("arcx_workspaces{status=\"running\"}"))
                .body(containsString("arcx_workspace_create_seconds_bucket"))
                .body(containsString("arcx_workspace_create_seconds_count")));
        assertThrows(RuntimeException.class, () -> engine.stats("arcx-no-such-container"));
        given().get("/q/metrics").then()
                .body(containsString("arcx_docker_api_errors_total{operation=\"container-stats\"}"));
        deleteWorkspace(user, id);
    }

    @Test
    void requestsAreTaggedByTheirTemplateNotTheirPath() {
        given().get("/assets/dashboard.js").then().statusCode(200);
        given().get("/assets/dashboard.css").then().statusCode(200);
        // Anonymous: 401 whether or not the workspace exists (path access does not tell them apart).
        given().urlEncodingEnabled(false).get("/@someone/somewhere/").then().statusCode(401);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("uri=\"/assets/{file}\""), "static files share one tag");
        assertTrue(metrics.contains("uri=\"/@{login}/{workspace}\""), "workspace paths share one tag");
        assertFalse(metrics.contains("dashboard.css") || metrics.contains("somewhere"), "no raw path as a tag");
    }

    @Test
    void openApiDescribesTheApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/workspaces'.post", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/resource-tiers'.get", org.hamcrest.Matchers.notNullValue());
    }
}
