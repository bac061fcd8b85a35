package dev.arcx.orchestrator.auth;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.tokens.ApiTokens;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.TestSessions;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Personal API tokens users manage themselves: created and shown once, listed without the token, revoked, expired;
 * one user never sees or revokes another's; and the per-credential request rate limit.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
@TestProfile(ApiTokensTest.LowRequestLimit.class)
class ApiTokensTest {
    /** Low enough to exceed in a test; each test user makes far fewer requests than this. */
    static final int PER_MINUTE = 60;

    public static class LowRequestLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("arcx.auth.requests-per-minute", String.valueOf(PER_MINUTE));
        }
    }

    @Inject
    Pool pool;

    @Test
    void aTokenIsShownOnceListedWithoutItselfAndWorksUntilRevoked() {
        TestUser user = Api.newUser("free");
        var created = as(user.token()).body(Map.of("name", "ci pipeline", "expiresInDays", 30)).post("/api/tokens")
                .then().statusCode(201).body("name", equalTo("ci pipeline")).body("token", startsWith("arcx_pat_"))
                .body("userId", equalTo(user.id().toString())).body("expiresAt", notNullValue()).extract();
        String token = created.path("token");
        String id = created.path("id");
        assertEquals(ApiTokens.displayPrefix(token), created.path("prefix"));
        OffsetDateTime expiresAt = OffsetDateTime.parse(created.path("expiresAt"));
        assertTrue(expiresAt.isAfter(OffsetDateTime.now().plusDays(29)) && expiresAt.isBefore(
                OffsetDateTime.now().plusDays(31)), expiresAt.toString());

        as(token).get("/api/workspaces").then().statusCode(200);
        var listing = as(token).get("/api/tokens").then().statusCode(200).body("$", hasSize(2)).extract();
        assertFalse(listing.body().asString().contains(token), "the listing shows a token");
        assertFalse(listing.body().asString().contains(user.token()), "the listing shows a token");
        List<Map<String, Object>> entries = listing.jsonPath().getList("$");
        assertTrue(entries.stream().noneMatch(entry -> entry.containsKey("token")), entries.toString());
        Map<String, Object> mine = entry(listing, id);
        assertEquals("ci pipeline", mine.get("name"));
        assertEquals(ApiTokens.displayPrefix(token), mine.get("prefix"));
        assertEquals("active", mine.get("status"));
        assertNotNull(mine.get("createdAt"));
        assertNotNull(mine.get("lastUsedAt"), "the use above is noted");
        assertEquals("token", entry(listing, tokenIdOf(user)).get("name"), "the admin's token has the default name");

        as(user.token()).delete("/api/tokens/" + id).then().statusCode(204);
        as(token).get("/api/workspaces").then().statusCode(401);
        as(user.token()).delete("/api/tokens/" + id).then().statusCode(204);
        Map<String, Object> revoked = entry(as(user.token()).get("/api/tokens").then().extract(), id);
        assertEquals("revoked", revoked.get("status"));
        assertNotNull(revoked.get("revokedAt"));
        // The other token is untouched.
        as(user.token()).get("/api/workspaces").then().statusCode(200);
        admin().get("/api/admin/audit?action=token.revoke&targetId=" + id).then().statusCode(200)
                .body("entries", hasSize(2)).body("entries[0].actor", equalTo(user.id().toString()))
                .body("entries[0].details.prefix", equalTo(ApiTokens.displayPrefix(token)));
        admin().get("/api/admin/audit?action=token.create&targetId=" + id).then().statusCode(200)
                .body("entries", hasSize(1)).body("entries[0].details.name", equalTo("ci pipeline"));
        // Only the hash is stored.
        assertEquals(1, pool.preparedQuery("SELECT 1 FROM api_tokens WHERE id = $1 AND token_hash = $2")
                .executeAndAwait(Tuple.of(UUID.fromString(id), ApiTokens.hash(token))).size());
    }

    @Test
    void anExpiredTokenIsRefused() {
        TestUser user = Api.newUser("free");
        var created = as(user.token()).body(Map.of("name", "short-lived", "expiresInDays", 1)).post("/api/tokens")
                .then().statusCode(201).extract();
        String token = created.path("token");
        as(token).get("/api/workspaces").then().statusCode(200);
        pool.preparedQuery("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1")
                .executeAndAwait(Tuple.of(UUID.fromString(created.path("id"))));
        as(token).get("/api/workspaces").then().statusCode(401);
        assertEquals("expired", entry(as(user.token()).get("/api/tokens").then().extract(), created.path("id"))
                .get("status"));
        // Without expiresInDays a token does not expire.
        as(user.token()).body(Map.of("name", "forever")).post("/api/tokens").then().statusCode(201)
                .body("expiresAt", nullValue());
    }

    @Test
    void creationIsValidated() {
        TestUser user = Api.newUser("free");
        as(user.token()).body(Map.of("expiresInDays", 5)).post("/api/tokens").then().statusCode(400)
                .body("detail", containsString("name"));
        as(user.token()).body(Map.of("name", " ")).post("/api/tokens").then().statusCode(400);
        as(user.token()).body(Map.of("name", "x".repeat(101))).post("/api/tokens").then().statusCode(400);
        for (int days : new int[] {0, -1, 3651}) {
            as(user.token()).body(Map.of("name", "n", "expiresInDays", days)).post("/api/tokens").then()
                    .statusCode(400).body("detail", containsString("expiresInDays"));
        }
        as(user.token()).body(Map.of("name", "n", "scope", "all")).post("/api/tokens").then().statusCode(400);
        as(user.token()).get("/api/tokens").then().body("$", hasSize(1));
        // The admin token is no user: it has no tokens of its own.
        admin().body(Map.of("name", "n")).post("/api/tokens").then().statusCode(403);
        admin().get("/api/tokens").then().statusCode(403);
    }

    @Test
    void oneUserNeverSeesNorRevokesAnothersTokens() {
        TestUser alice = Api.newUser("free");
        TestUser bob = Api.newUser("free");
        String aliceTokenId = as(alice.token()).body(Map.of("name", "alice's")).post("/api/tokens").then()
                .statusCode(201).extract().path("id");
        List<String> bobSees = as(bob.token()).get("/api/tokens").then().statusCode(200).extract().jsonPath()
                .getList("name");
        assertEquals(List.of("token"), bobSees);
        as(bob.token()).delete("/api/tokens/" + aliceTokenId).then().statusCode(404);
        as(bob.token()).delete("/api/tokens/" + tokenIdOf(alice)).then().statusCode(404);
        as(bob.token()).delete("/api/tokens/" + UUID.randomUUID()).then().statusCode(404);
        as(alice.token()).get("/api/workspaces").then().statusCode(200);
        assertEquals("active", entry(as(alice.token()).get("/api/tokens").then().extract(), aliceTokenId)
                .get("status"));
    }

    @Test
    void aSessionManagesTokensToo() {
        TestUser user = Api.newUser("free");
        String session = TestSessions.open(user);
        String token = as(session).body(Map.of("name", "from the dashboard")).post("/api/tokens").then()
                .statusCode(201).extract().path("token");
        as(token).get("/api/tokens").then().statusCode(200).body("$", hasSize(2));
    }

    @Test
    void eachTokenHasItsOwnRequestsPerMinuteThen429WithRetryAfter() {
        TestUser user = Api.newUser("free");
        String other = as(user.token()).body(Map.of("name", "other")).post("/api/tokens").then().statusCode(201)
                .extract().path("token");
        // A fixed one-minute window: if a minute boundary falls inside the loop, the count starts over once.
        int admitted = 0;
        ExtractableResponse<Response> refused = null;
        while (admitted <= 2 * PER_MINUTE + 1) {
            var response = as(user.token()).get("/api/workspaces").then().extract();
            if (response.statusCode() == 429) {
                refused = response;
                break;
            }
            assertEquals(200, response.statusCode(), response.body().asString());
            admitted++;
        }
        assertNotNull(refused, "no 429 after " + admitted + " requests");
        assertTrue(admitted >= PER_MINUTE - 2 && admitted <= 2 * PER_MINUTE, "429 after " + admitted);
        assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
        assertEquals(429, (int) refused.path("status"));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        // Another token of the same user, and another user, have their own counts.
        as(other).get("/api/workspaces").then().statusCode(200);
        as(Api.newUser("free").token()).get("/api/workspaces").then().statusCode(200);
    }

    /** The id of the token {@link Api#newUser} had the admin issue. */
    private UUID tokenIdOf(TestUser user) {
        return pool.preparedQuery("SELECT id FROM api_tokens WHERE token_hash = $1")
                .executeAndAwait(Tuple.of(ApiTokens.hash(user.token()))).iterator().next().getUUID("id");
    }

    private static Map<String, Object> entry(ExtractableResponse<Response> listing, Object id) {
        List<Map<String, Object>> tokens = listing.jsonPath().getList("$");
        return new HashMap<>(tokens.stream().filter(token -> token.get("id").equals(String.valueOf(id))).findFirst()
                .orElseThrow(() -> new AssertionError("no token " + id + " in " + tokens)));
    }
}
