package dev.arcx.orchestrator.inbound;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.arcx.common.support.HmacSha256;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.FakeGitHubResource;
import dev.arcx.orchestrator.testsupport.Stripe;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Stripe's and GitHub's webhooks: signatures checked exactly as their senders make them, each event acting once. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
@QuarkusTestResource(FakeGitHubResource.class)
class InboundWebhookTest {
    /** The test profile's endpoint secret (application.properties). */
    static final String GITHUB_SECRET = "github-webhook-test-secret";

    @Inject
    Pool pool;

    @Test
    void aSignedCheckoutMovesTheUserOnceAndBadOrReplayedSignaturesChangeNothing() {
        TestUser user = Api.newUser("free");
        String event = Stripe.checkoutCompleted("evt_" + UUID.randomUUID(), user.id(), "cus_" + System.nanoTime(), null);
        long now = Instant.now().getEpochSecond();

        Stripe.send(event, "t=" + now + ",v1=" + "0".repeat(64)).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("no v1 signature matches"));
        Stripe.send(event, Stripe.signature(Stripe.SECRET + "-other", now, event)).statusCode(400);
        Stripe.send(event, null).statusCode(400).body("detail", containsString("missing"));
        Stripe.send(event, "v1=abc").statusCode(400);
        // A correct signature captured long ago is a replay.
        Stripe.send(event, Stripe.signature(Stripe.SECRET, now - 301, event)).statusCode(400)
                .body("detail", containsString("tolerance"));
        // The signature covers the exact bytes: one changed byte and it no longer matches.
        Stripe.send(event.replace("\"pro\"", "\"team\""), Stripe.signature(Stripe.SECRET, now, event)).statusCode(400);
        assertEquals("free", plan(user));

        // Several v1 signatures (a secret being rolled): one matching is enough.
        Stripe.send(event, Stripe.signature(Stripe.SECRET + "-old", now, event) + ","
                + Stripe.signature(Stripe.SECRET, now, event).replace("t=" + now + ",", "")).statusCode(200)
                .body("duplicate", equalTo(false)).body("outcome", equalTo("plan free -> pro"));
        assertEquals("pro", plan(user));

        // The same event again (Stripe retries): received, not acted on twice.
        pool.preparedQuery("UPDATE users SET plan_id = 'team' WHERE id = $1").executeAndAwait(Tuple.of(user.id()));
        Stripe.send(event, Stripe.signature(Stripe.SECRET, now, event)).statusCode(200).body("duplicate", equalTo(true));
        assertEquals("team", plan(user));
        admin().queryParam("targetId", user.id().toString()).get("/api/admin/audit").then()
                .body("entries.action", hasItem("user.plan"));
    }

    @Test
    void subscriptionEventsFollowThePriceAndEndOnFree() {
        TestUser user = Api.newUser("free");
        String customer = "cus_" + System.nanoTime();
        Stripe.send(Stripe.checkoutCompleted("evt_" + UUID.randomUUID(), user.id(), customer, "pro")).statusCode(200);
        assertEquals("pro", plan(user));

        Stripe.send(Stripe.subscription("customer.subscription.updated", customer, "active", "price_team_monthly"))
                .statusCode(200).body("outcome", equalTo("plan pro -> team"));
        assertEquals("team", plan(user));
        Stripe.send(Stripe.subscription("customer.subscription.updated", customer, "past_due", "price_team_monthly"))
                .statusCode(200);
        assertEquals("team", plan(user), "past due keeps the plan while Stripe retries the payment");
        Stripe.send(Stripe.subscription("customer.subscription.deleted", customer, "canceled", "price_team_monthly"))
                .statusCode(200);
        assertEquals("free", plan(user));
        // Events about nobody arcx knows are received and change nothing.
        Stripe.send(Stripe.subscription("customer.subscription.updated", "cus_unknown", "active", "price_pro_monthly"))
                .statusCode(200).body("outcome", containsString("no such user"));
        Stripe.send("{\"id\":\"evt_" + UUID.randomUUID() + "\",\"type\":\"invoice.paid\",\"data\":{\"object\":{}}}")
                .statusCode(200).body("outcome", equalTo("event type not acted on"));
        Stripe.send("{\"type\":\"invoice.paid\"}").statusCode(400);
        Stripe.send("not json").statusCode(400);
    }

    @Test
    void gitHubDeliveriesAreVerifiedRecordedOnceAndAudited() {
        String delivery = UUID.randomUUID().toString();
        String body = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1,\"sender\":{\"login\":\"octocat\"}}";

        github(body, "ping", delivery, "sha256=" + "0".repeat(64)).statusCode(401);
        github(body, "ping", delivery, null).statusCode(401);
        github(body, "ping", delivery, "sha1=" + HmacSha256.hex(GITHUB_SECRET, bytes(body))).statusCode(401);
        github(body, "ping", delivery, "sha256=" + HmacSha256.hex(GITHUB_SECRET + "x", bytes(body))).statusCode(401);
        assertEquals(0, received("github", delivery));

        String signature = "sha256=" + HmacSha256.hex(GITHUB_SECRET, bytes(body));
        github(body, "ping", null, signature).statusCode(400);
        github(body, "ping", delivery, signature).statusCode(200).body("duplicate", equalTo(false));
        github(body, "ping", delivery, signature).statusCode(200).body("duplicate", equalTo(true));
        assertEquals(1, received("github", delivery));
        admin().queryParam("targetId", delivery).get("/api/admin/audit").then().statusCode(200)
                .body("entries.size()", equalTo(1)).body("entries[0].action", equalTo("github.event"))
                .body("entries[0].actor", equalTo("github")).body("entries[0].details.event", equalTo("ping"))
                .body("entries[0].details.sender", equalTo("octocat"));

        String installation = "{\"action\":\"created\",\"installation\":{\"id\":42},\"sender\":{\"login\":\"octocat\"}}";
        String second = UUID.randomUUID().toString();
        github(installation, "installation", second, "sha256=" + HmacSha256.hex(GITHUB_SECRET, bytes(installation)))
                .statusCode(200);
        admin().queryParam("targetId", second).get("/api/admin/audit").then()
                .body("entries[0].details.action", equalTo("created"))
                .body("entries[0].details.installationId", equalTo(42));
    }

    private String plan(TestUser user) {
        return pool.preparedQuery("SELECT plan_id FROM users WHERE id = $1").executeAndAwait(Tuple.of(user.id()))
                .iterator().next().getString("plan_id");
    }

    private int received(String source, String id) {
        return pool.preparedQuery("SELECT 1 FROM inbound_events WHERE source = $1 AND event_id = $2")
                .executeAndAwait(Tuple.of(source, id)).size();
    }

    private static ValidatableResponse github(String payload, String event, String delivery, String signature) {
        var request = given().contentType("application/json").body(bytes(payload)).header("X-GitHub-Event", event);
        if (delivery != null) {
            request.header("X-GitHub-Delivery", delivery);
        }
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return request.post("/webhooks/github").then();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
