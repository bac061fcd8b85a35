package dev.arcx.orchestrator.workspace;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.deleteWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.get;
import static dev.arcx.testkit.engine.TestEngine.docker;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.events.WorkspaceEvent;
import dev.arcx.common.events.WorkspaceEventType;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.ImageBuilderResource;
import dev.arcx.orchestrator.testsupport.TestSessions;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Workspaces whose images come from a real image-builder: building-image while it builds, then up on the port the
 * image declares; refusals and failed builds end the workspace with the builder's reason.
 */
@QuarkusTest
@TestProfile(WorkspaceImageBuildTest.BuiltImages.class)
class WorkspaceImageBuildTest {

    /** Only the image-builder's resource: no default image, so every workspace asks for its image. */
    public static class BuiltImages implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ImageBuilderResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Inject
    Connection nats;

    @Inject
    Subjects subjects;

    /** Polls the workspace until it is running, and answers every status it went through. */
    static Set<String> statusesUntilRunning(TestUser user, String id) {
        Set<String> seen = new LinkedHashSet<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(25)).until(() -> {
            var response = get(user, id).extract();
            String status = response.path("status");
            seen.add(status);
            if ("failed".equals(status)) {
                throw new AssertionError("workspace failed: " + response.path("statusReason"));
            }
            return "running".equals(status);
        });
        return seen;
    }

    @Test
    void sessionsTheOrchestratorEndsStopWorkingAtTheImageBuilderTooWithinMoments() {
        TestUser user = Api.newUser("pro");
        String kept = TestSessions.open(user);
        String leaving = TestSessions.open(user);
        String builder = ImageBuilderResource.baseUri();
        given().baseUri(builder).auth().oauth2(leaving).get("/api/images").then().statusCode(200);
        given().baseUri(builder).auth().oauth2(kept).get("/api/images").then().statusCode(200);

        // A logout (as the browser sends it) ends that one session everywhere.
        String csrf = SessionCookies.csrfToken(leaving);
        given().cookie(SessionCookies.SESSION, leaving).cookie(SessionCookies.CSRF, csrf)
                .header(SessionCookies.CSRF_HEADER, csrf).post("/auth/logout").then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> given()
                .baseUri(builder).auth().oauth2(leaving).get("/api/images").statusCode() == 401);
        given().baseUri(builder).auth().oauth2(kept).get("/api/images").then().statusCode(200);

        // A suspension ends every session of the user.
        Api.admin().body(Map.of("reason", "test")).post("/api/admin/users/" + user.id() + "/suspend").then()
                .statusCode(200);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> given()
                .baseUri(builder).auth().oauth2(kept).get("/api/images").statusCode() == 401);

        // Lifted, a new sign-in (a later second than the suspension's, as any real one is) works again.
        Api.admin().post("/api/admin/users/" + user.id() + "/unsuspend").then().statusCode(200);
        Instant later = Instant.now().plusSeconds(1);
        String fresh = TestSessions.open(user.id(), user.login(), later, later.plus(Duration.ofHours(1)));
        given().baseUri(builder).auth().oauth2(fresh).get("/api/images").then().statusCode(200);
        given().baseUri(builder).auth().oauth2(kept).get("/api/images").then().statusCode(401);
    }

    @Test
    void aWorkspaceWaitsInBuildingImageThenRunsOnTheBuiltImage() throws InterruptedException {
        TestUser user = Api.newUser("pro");
        Subscription events = nats.subscribe(subjects.workspaceEvents(WorkspaceEventType.BUILDING_IMAGE));
        String id = createWorkspace(user, "built", "starter", List.of("code-server"));
        Set<String> seen = statusesUntilRunning(user, id);
        String image = "arcx-fullstack-code:" + ImageBuilderResource.VERSION;
        assertTrue(seen.contains("building-image"), "statuses seen: " + seen);
        Message announced = events.nextMessage(Duration.ofSeconds(5));
        assertEquals(id, EventCodec.decode(announced.getData(), WorkspaceEvent.class).workspaceId().toString());
        events.unsubscribe();
        // The container runs the built image, and was found up on 8080: the port the code-server layer declares
        // (its only listener), not the base's 4096.
        var container = docker().inspectContainerCmd("arcx-ws-" + id).exec();
        assertEquals(image, container.getConfig().getImage());
        assertEquals("8080", docker().inspectImageCmd(image).exec().getConfig().getLabels().get("dev.arcx.ready-port"));
        // A second workspace of the same selection finds the image ready: no building-image this time.
        String again = createWorkspace(user, "again", "starter", List.of("code-server"));
        assertTrue(!statusesUntilRunning(user, again).contains("building-image"));
        deleteWorkspace(user, id);
        deleteWorkspace(user, again);
    }

    @Test
    void withoutCodeServerTheWorkspaceIsUpWhenOpenCodesPortAnswers() {
        TestUser user = Api.newUser("pro");
        String id = createWorkspace(user, "agents-only", "starter", List.of());
        statusesUntilRunning(user, id);
        assertEquals("arcx-fullstack:" + ImageBuilderResource.VERSION,
                docker().inspectContainerCmd("arcx-ws-" + id).exec().getConfig().getImage());
        deleteWorkspace(user, id);
    }

    @Test
    void aSelectionTheBuilderCannotMakeFailsWithItsReason() {
        TestUser user = Api.newUser("pro");
        // The catalog knows go; the test recipes have none for it.
        String id = as(user.token()).body(Map.of("name", "no-recipe", "flavorId", "go")).post("/api/workspaces")
                .then().statusCode(201).extract().path("id");
        awaitStatus(user, id, "failed");
        get(user, id).body("statusReason", containsString("the image cannot be built: unknown flavor 'go': no recipe"));
        deleteWorkspace(user, id);
    }

    @Test
    void aFailedBuildFailsTheWaitingWorkspaceAndAFixedRecipeStartsIt() throws Exception {
        Path dockerfile = ImageBuilderResource.recipes().resolve("addons/cloud/Dockerfile");
        String original = Files.readString(dockerfile);
        TestUser user = Api.newUser("pro");
        String id;
        try {
            Files.writeString(dockerfile, "ARG BASE\nFROM ${BASE}\nRUN echo cloud step broke && exit 7\n");
            id = createWorkspace(user, "broken-image", "starter", List.of("cloud"));
            awaitStatus(user, id, "failed");
            get(user, id).body("statusReason", containsString("the image arcx-fullstack-cloud:"))
                    .body("statusReason", containsString("could not be built"));
        } finally {
            Files.writeString(dockerfile, original);
        }
        as(user.token()).post("/api/workspaces/" + id + "/start").then().statusCode(202);
        statusesUntilRunning(user, id);
        deleteWorkspace(user, id);
    }

    @Test
    void progressIsShownWhileBuilding() {
        TestUser user = Api.newUser("pro");
        String id = createWorkspace(user, "progress", "starter", List.of("databases", "gui"));
        List<Map<String, Object>> builds = new ArrayList<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20)).until(() -> {
            var view = get(user, id).extract().jsonPath();
            if (view.get("imageBuild") != null) {
                builds.add(view.getMap("imageBuild"));
            }
            if ("failed".equals(view.getString("status"))) {
                throw new AssertionError("workspace failed: " + view.getString("statusReason"));
            }
            return "running".equals(view.getString("status"));
        });
        assertTrue(!builds.isEmpty(), "a building workspace shows its build's progress");
        Map<String, Object> last = builds.getLast();
        assertEquals("arcx-fullstack-db-gui:" + ImageBuilderResource.VERSION, last.get("image"));
        assertTrue((Integer) last.get("step") >= 1 && (Integer) last.get("step") <= (Integer) last.get("steps"));
        deleteWorkspace(user, id);
    }
}
