package dev.arcx.orchestrator.workspace;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.get;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.events.WorkspaceEvent;
import dev.arcx.common.events.WorkspaceEventType;
import dev.arcx.orchestrator.routing.ForwardAuthResource;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.TestSessions;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.TestSettings;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Idle auto-stop and maximum lifetime on real workspaces: pro runs with a 3s idle timeout, team with a
 * lifetime of 8s and no practical idle timeout; the check runs every second.
 */
@QuarkusTest
@TestProfile(IdleStopTest.ShortLimits.class)
@QuarkusTestResource(WorkspaceImageResource.class)
class IdleStopTest {
    private static final String DOMAIN = "arcx.test";

    public static class ShortLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Forward-auth needs a domain to parse hosts; containers stay off the edge network.
            return Map.of("arcx.workspaces.idle-timeout", "3s",
                    "arcx.workspaces.idle-check-interval", "1s",
                    "arcx.workspaces.activity-flush-interval", "1s",
                    "arcx.workspaces.plans.team.idle-timeout", "1h",
                    "arcx.workspaces.plans.team.max-lifetime", "8s",
                    "arcx.routing.domain", DOMAIN,
                    "arcx.routing.enabled", "false");
        }
    }

    @Inject
    WorkspaceRepository repository;

    @Inject
    Subjects subjects;

    private final List<TestUser> users = new ArrayList<>();

    @AfterEach
    void deleteWorkspaces() {
        users.forEach(Api::deleteAllWorkspaces);
    }

    @Test
    void anIdleWorkspaceIsStoppedWithAReasonAnEventAndAnAuditEntry() throws Exception {
        TestUser owner = newUser("pro");
        try (Connection nats = Nats.connect(TestSettings.natsUrl())) {
            Subscription stopped = nats.subscribe(subjects.workspaceEvents(WorkspaceEventType.STOPPED));
            nats.flush(Duration.ofSeconds(2));
            String id = createWorkspace(owner, "idle", "starter", List.of());
            awaitStatus(owner, id, "running");
            as(owner.token()).post("/api/workspaces/" + id + "/activity").then().statusCode(204);
            JsonPath view = get(owner, id).statusCode(200).extract().jsonPath();
            OffsetDateTime lastActive = OffsetDateTime.parse(view.getString("lastActiveAt"));
            assertEquals(lastActive.plusSeconds(3), OffsetDateTime.parse(view.getString("idleStopsAt")));
            assertTrue(OffsetDateTime.parse(view.getString("lifetimeEndsAt")).isAfter(OffsetDateTime.now().plusHours(11)),
                    "the default maximum lifetime of 12h applies to pro");

            awaitStatus(owner, id, "stopped");
            get(owner, id).body("statusReason", equalTo("stopped after 3 seconds without activity"))
                    .body("lastActiveAt", nullValue()).body("idleStopsAt", nullValue())
                    .body("lifetimeEndsAt", nullValue());

            WorkspaceEvent event = null;
            for (Message m = stopped.nextMessage(Duration.ofSeconds(5)); m != null && event == null;
                    m = event == null ? stopped.nextMessage(Duration.ofSeconds(5)) : null) {
                WorkspaceEvent e = EventCodec.decode(m.getData(), WorkspaceEvent.class);
                if (e.workspaceId().toString().equals(id)) {
                    event = e;
                    assertEquals(subjects.workspace(e.workspaceId(), WorkspaceEventType.STOPPED), m.getSubject());
                }
            }
            assertNotNull(event, "the stopped event was published");
            assertEquals("stopped after 3 seconds without activity", event.reason());

            Map<String, Object> entry = auditEntry(id, "workspace.idle-stop");
            assertEquals("system", entry.get("actor"));
            assertEquals("stopped after 3 seconds without activity",
                    ((Map<?, ?>) entry.get("details")).get("reason"));
        }
    }

    @Test
    void activityThroughTheApiAndTheEdgePostponesTheIdleStop() {
        TestUser owner = newUser("pro");
        String id = createWorkspace(owner, "busy", "starter", List.of());
        awaitStatus(owner, id, "running");
        String host = "busy--" + owner.login() + "." + DOMAIN;
        Instant before = Instant.now();

        // Twice the idle timeout of activity each way; the workspace keeps running throughout.
        keepActive(owner, id, Duration.ofSeconds(6), () -> as(owner.token())
                .post("/api/workspaces/" + id + "/activity").then().statusCode(204));
        keepActive(owner, id, Duration.ofSeconds(6), () -> given().header("X-Forwarded-Host", host)
                .cookie(ForwardAuthResource.SESSION_COOKIE, TestSessions.open(owner)).get("/api/auth/forward").then()
                .statusCode(200));

        // Activity reaches the database within the flush interval, so a restart keeps it.
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            Workspace row = repository.findById(UUID.fromString(id)).await().indefinitely();
            return row.lastActiveAt().toInstant().isAfter(before.plusSeconds(10));
        });

        // A stranger cannot keep someone else's workspace alive, nor learn it exists.
        TestUser stranger = newUser("free");
        as(stranger.token()).post("/api/workspaces/" + id + "/activity").then().statusCode(404);

        awaitStatus(owner, id, "stopped");
        get(owner, id).body("statusReason", equalTo("stopped after 3 seconds without activity"));
    }

    @Test
    void theMaximumLifetimeStopsEvenAnActiveWorkspace() {
        TestUser owner = newUser("team");
        String id = createWorkspace(owner, "long", "starter", List.of());
        awaitStatus(owner, id, "running");
        JsonPath view = get(owner, id).extract().jsonPath();
        OffsetDateTime lifetimeEnds = OffsetDateTime.parse(view.getString("lifetimeEndsAt"));
        OffsetDateTime idleStops = OffsetDateTime.parse(view.getString("idleStopsAt"));
        assertTrue(lifetimeEnds.isBefore(OffsetDateTime.now().plusSeconds(9)), "team's lifetime is 8s: " + lifetimeEnds);
        assertEquals(OffsetDateTime.parse(view.getString("lastActiveAt")).plusHours(1), idleStops,
                "team's own idle timeout");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            as(owner.token()).post("/api/workspaces/" + id + "/activity").then().statusCode(204);
            return !"running".equals(get(owner, id).extract().path("status"));
        });
        awaitStatus(owner, id, "stopped");
        String reason = "stopped after running for 8 seconds, the plan's maximum lifetime";
        get(owner, id).body("statusReason", equalTo(reason));
        Map<String, Object> entry = auditEntry(id, "workspace.lifetime-stop");
        assertEquals("system", entry.get("actor"));
        assertEquals(reason, ((Map<?, ?>) entry.get("details")).get("reason"));

        // A new start begins a new lifetime.
        as(owner.token()).post("/api/workspaces/" + id + "/start").then().statusCode(202);
        awaitStatus(owner, id, "running");
        assertTrue(OffsetDateTime.parse(get(owner, id).extract().path("lifetimeEndsAt")).isAfter(lifetimeEnds));
    }

    /** Runs {@code touch} every half second for {@code span}; the workspace must stay running all along. */
    private static void keepActive(TestUser owner, String id, Duration span, Runnable touch) {
        await().during(span).atMost(span.plusSeconds(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
            touch.run();
            return "running".equals(get(owner, id).extract().path("status"));
        });
    }

    private static Map<String, Object> auditEntry(String id, String action) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<Map<String, Object>> entries = admin().queryParam("targetId", id).queryParam("action", action)
                    .get("/api/admin/audit").then().statusCode(200).extract().path("entries");
            return entries.isEmpty() ? null : entries.get(0);
        }, Objects::nonNull);
    }

    private TestUser newUser(String plan) {
        TestUser user = Api.newUser(plan);
        users.add(user);
        return user;
    }

}
