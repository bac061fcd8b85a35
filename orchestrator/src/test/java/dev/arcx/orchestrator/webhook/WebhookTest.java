package dev.arcx.orchestrator.webhook;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.deleteWorkspace;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.WorkspaceEvent;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.fakes.WebhookReceiver;
import dev.arcx.testkit.fakes.WebhookReceiver.Received;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Outbound webhooks against a real receiver on loopback: registration rules, signatures, retries, isolation. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class WebhookTest {

    @Test
    void registrationRefusesUnsafeUrlsAndUnknownEvents() {
        TestUser user = Api.newUser("free");
        for (var bad : List.of(Map.of("url", "ftp://example.com/hook"), Map.of("url", "https://user:pw@example.com/hook"),
                Map.of("url", "https://token@example.com/hook"), Map.of("url", "/relative"), Map.of("url", "http://"),
                Map.of("url", "https://example.com/hook", "events", List.of("workspace.exploded")))) {
            as(user.token()).body(bad).post("/api/webhooks").then().statusCode(400)
                    .contentType("application/problem+json");
        }
        as(user.token()).body("{}").post("/api/webhooks").then().statusCode(400);
    }

    @Test
    void usersSeeAndDeleteOnlyTheirOwnHooks() {
        TestUser owner = Api.newUser("free");
        TestUser other = Api.newUser("free");
        JsonPath created = register(owner, "https://example.com/owner", List.of("workspace.running"));
        String id = created.getString("id");
        assertTrue(created.getString("secret").startsWith("whsec_"));

        as(owner.token()).get("/api/webhooks").then().statusCode(200).body("id", hasItem(id))
                .body("[0].events", equalTo(List.of("workspace.running"))).body("[0].secret", nullValue());
        as(other.token()).get("/api/webhooks").then().statusCode(200).body("id", not(hasItem(id)));
        as(other.token()).get("/api/webhooks/" + id + "/deliveries").then().statusCode(404);
        as(other.token()).delete("/api/webhooks/" + id).then().statusCode(404);

        as(owner.token()).get("/api/webhooks/" + id + "/deliveries").then().statusCode(200)
                .body("size()", equalTo(0));
        as(owner.token()).delete("/api/webhooks/" + id).then().statusCode(204);
        as(owner.token()).delete("/api/webhooks/" + id).then().statusCode(404);
        as(owner.token()).get("/api/webhooks").then().statusCode(200).body("id", not(hasItem(id)));
    }

    @Test
    void deliveriesAreSignedWithTheHooksSecret() throws Exception {
        TestUser user = Api.newUser("pro");
        try (WebhookReceiver receiver = new WebhookReceiver(0)) {
            JsonPath hook = register(user, receiver.url(), null);
            String workspaceId = createWorkspace(user, "hooked", "starter", List.of());

            Received created = await().atMost(Duration.ofSeconds(10)).until(
                    () -> receiver.received().stream().filter(r -> r.event().equals("workspace.created")).findFirst(),
                    java.util.Optional::isPresent).orElseThrow();
            WorkspaceEvent event = EventCodec.decode(created.body().getBytes(StandardCharsets.UTF_8),
                    WorkspaceEvent.class);
            assertEquals(workspaceId, event.workspaceId().toString());
            assertEquals(user.id(), event.ownerId());

            // The receiver's check: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">, recent t.
            String[] parts = created.signature().split(",");
            long t = Long.parseLong(parts[0].substring("t=".length()));
            assertTrue(Math.abs(Instant.now().getEpochSecond() - t) < 60);
            assertEquals("v1=" + hmac(hook.getString("secret"), t + "." + created.body()), parts[1]);
            assertTrue(!parts[1].equals("v1=" + hmac("whsec_wrong", t + "." + created.body())));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> as(user.token())
                    .get("/api/webhooks/" + hook.getString("id") + "/deliveries").then().statusCode(200)
                    .body("find { it.id == '" + created.deliveryId() + "' }.status", equalTo("succeeded"))
                    .body("find { it.id == '" + created.deliveryId() + "' }.attempts", equalTo(1))
                    .body("find { it.id == '" + created.deliveryId() + "' }.lastResponseCode", equalTo(200))
                    .body("find { it.id == '" + created.deliveryId() + "' }.event", equalTo("workspace.created")));
            deleteWorkspace(user, workspaceId);
        }
    }

    @Test
    void aTeamWorkspacesEventsReachEveryMembersHooksAndNoStrangers() {
        TestUser owner = Api.newUser("pro");
        TestUser member = Api.newUser("pro");
        TestUser stranger = Api.newUser("pro");
        String team = Api.createTeam(owner, "Hooks " + owner.login());
        Api.joinTeam(team, owner, member);
        try (WebhookReceiver ownerHook = new WebhookReceiver(0); WebhookReceiver memberHook = new WebhookReceiver(0);
                WebhookReceiver strangerHook = new WebhookReceiver(0)) {
            register(owner, ownerHook.url(), List.of("workspace.created"));
            String memberHookId = register(member, memberHook.url(), List.of("workspace.created")).getString("id");
            register(stranger, strangerHook.url(), null);
            String shared = createWorkspace(owner, "team-hooked", "starter", List.of(), team);
            String personal = createWorkspace(owner, "own-hooked", "starter", List.of());

            await().atMost(Duration.ofSeconds(10)).until(() -> ownerHook.received().size() == 2
                    && memberHook.received().size() == 1);
            WorkspaceEvent heard = EventCodec.decode(memberHook.received().get(0).body()
                    .getBytes(StandardCharsets.UTF_8), WorkspaceEvent.class);
            assertEquals(shared, heard.workspaceId().toString());
            assertEquals(team, heard.teamId().toString());
            assertEquals(owner.id(), heard.ownerId());
            as(member.token()).get("/api/webhooks/" + memberHookId + "/deliveries").then().statusCode(200)
                    .body("size()", equalTo(1)).body("[0].event", equalTo("workspace.created"));
            // The owner's personal workspace stays the owner's business; a stranger hears of neither.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> memberHook.received().size() == 1 && strangerHook.received().isEmpty());
            deleteWorkspace(owner, shared);
            deleteWorkspace(owner, personal);
        }
    }

    @Test
    void failedAttemptsAreRetriedWithBackoffUntilTheLimit() {
        TestUser user = Api.newUser("pro");
        try (WebhookReceiver flaky = new WebhookReceiver(2);
                WebhookReceiver broken = new WebhookReceiver(Integer.MAX_VALUE)) {
            String flakyHook = register(user, flaky.url(), List.of("workspace.created")).getString("id");
            String brokenHook = register(user, broken.url(), List.of("workspace.created")).getString("id");
            String workspaceId = createWorkspace(user, "retried", "starter", List.of());

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(user.token())
                    .get("/api/webhooks/" + flakyHook + "/deliveries").then().statusCode(200)
                    .body("size()", equalTo(1)).body("[0].status", equalTo("succeeded"))
                    .body("[0].attempts", equalTo(3)).body("[0].lastResponseCode", equalTo(200))
                    .body("[0].lastError", nullValue()));
            assertEquals(3, flaky.received().size());
            assertEquals(1, flaky.received().stream().map(Received::deliveryId).distinct().count(),
                    "one delivery, attempted three times");

            // max-attempts is 4 in tests.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(user.token())
                    .get("/api/webhooks/" + brokenHook + "/deliveries").then().statusCode(200)
                    .body("[0].status", equalTo("failed")).body("[0].attempts", equalTo(4))
                    .body("[0].lastResponseCode", equalTo(500))
                    .body("[0].lastError", equalTo("the receiver answered HTTP 500")));
            assertEquals(4, broken.received().size());
            deleteWorkspace(user, workspaceId);
        }
    }

    @Test
    void aHangingReceiverDoesNotHoldUpTheApi() {
        TestUser user = Api.newUser("pro");
        try (WebhookReceiver hanging = new WebhookReceiver(0)) {
            hanging.hang();
            String hook = register(user, hanging.url(), null).getString("id");
            String first = createWorkspace(user, "hang-a", "starter", List.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> hanging.held() > 0);

            String second = createWorkspace(user, "hang-b", "starter", List.of());
            as(user.token()).get("/api/workspaces/" + second).then().statusCode(200);
            assertTrue(hanging.held() > 0, "the API answered while the receiver was still holding a delivery");

            hanging.release();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(user.token())
                    .get("/api/webhooks/" + hook + "/deliveries").then().statusCode(200)
                    .body("event", hasItem("workspace.created")));
            deleteWorkspace(user, first);
            deleteWorkspace(user, second);
        }
    }

    static JsonPath register(TestUser user, String url, List<String> events) {
        Map<String, Object> body = events == null ? Map.of("url", url) : Map.of("url", url, "events", events);
        return as(user.token()).body(body).post("/api/webhooks").then().statusCode(201).extract().jsonPath();
    }

    private static String hmac(String secret, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }
}
