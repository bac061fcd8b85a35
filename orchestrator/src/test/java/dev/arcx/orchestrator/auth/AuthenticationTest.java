package dev.arcx.orchestrator.auth;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.arcx.common.tokens.ApiTokens;
import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.common.tokens.SessionTokens;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.TestSessions;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Who may call what: admin token, personal API tokens (kept hashed) and signed session tokens. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class AuthenticationTest {
    @ConfigProperty(name = "arcx.session-secret")
    String sessionSecret;

    @Inject
    Pool pool;

    @Test
    void apiNeedsABearerTokenAndAnswersProblemJson() {
        given().get("/api/workspaces").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer")).body("status", equalTo(401));
        given().header("Authorization", "Bearer arcx_pat_notarealtoken").get("/api/workspaces").then().statusCode(401);
        given().header("Authorization", "Bearer garbage").get("/api/workspaces").then().statusCode(401);
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/workspaces").then().statusCode(401);
        given().contentType("application/json").body("{}").post("/api/admin/users").then().statusCode(401);
    }

    /**
     * Random bearer tokens from one address: 401 up to the limit, then 429 with Retry-After before any lookup; a
     * token that already worked still passes from there, a token new to the service waits; other addresses are
     * untouched. (The tests trust X-Forwarded-For, so each address here is this test's own.)
     */
    @Test
    void failedBearerAuthenticationsAreThrottledPerAddress() throws Exception {
        TestUser user = Api.newUser("free");
        as(user.token()).get("/api/workspaces").then().statusCode(200);
        TestUser fresh = Api.newUser("free");
        // Start early in a minute: the count is per wall-clock minute, and the whole burst must fall in one.
        long second = Instant.now().getEpochSecond() % 60;
        if (second > 40) {
            Thread.sleep((61 - second) * 1000);
        }
        String guesser = "192.0.2." + (1 + new java.util.Random().nextInt(250));
        int refusedAfter = -1;
        for (int i = 0; i < 100 && refusedAfter < 0; i++) {
            var answer = given().header("X-Forwarded-For", guesser)
                    .header("Authorization", "Bearer " + ApiTokens.generate()).get("/api/workspaces");
            if (answer.statusCode() == 429) {
                refusedAfter = i;
                assertEquals("application/problem+json", answer.contentType());
                long retryAfter = Long.parseLong(answer.header("Retry-After"));
                assertFalse(retryAfter < 1 || retryAfter > 60, "Retry-After " + retryAfter);
            } else {
                assertEquals(401, answer.statusCode());
            }
        }
        assertEquals(30, refusedAfter, "429 after the 30 failures a minute allows");
        // A token that worked before passes from the same address; one the service has not seen waits.
        as(user.token()).header("X-Forwarded-For", guesser).get("/api/workspaces").then().statusCode(200);
        as(fresh.token()).header("X-Forwarded-For", guesser).get("/api/workspaces").then().statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
        given().header("X-Forwarded-For", "192.0.2.251, 10.0.0.1")
                .header("Authorization", "Bearer " + ApiTokens.generate()).get("/api/workspaces").then()
                .statusCode(401);
        as(fresh.token()).get("/api/workspaces").then().statusCode(200);
    }

    @Test
    void onlyTheAdminTokenAdministers() {
        TestUser user = Api.newUser("free");
        as(user.token()).body(Map.of("login", "sneaky", "plan", "team")).post("/api/admin/users").then().statusCode(403)
                .body("detail", equalTo("this operation is for administrators, and the credential sent is not an "
                        + "administrator's"));
        as(user.token()).post("/api/admin/users/" + user.id() + "/tokens").then().statusCode(403);
        // The admin is no user: it has no workspaces to list, and the refusal says so rather than asking for itself.
        admin().get("/api/workspaces").then().statusCode(403).contentType("application/problem+json")
                .body("detail", equalTo("this operation acts for a user, and the administrator token is no user: call "
                        + "it with a user's API token or session"));
    }

    @Test
    void adminCreatesUsersWithValidation() {
        String login = "octo-" + UUID.randomUUID().toString().substring(0, 6);
        admin().body(Map.of("login", login, "plan", "pro")).post("/api/admin/users").then().statusCode(201)
                .body("login", equalTo(login)).body("plan", equalTo("pro"));
        admin().body(Map.of("login", login.toUpperCase(), "plan", "pro")).post("/api/admin/users").then().statusCode(409)
                .body("detail", containsString("already exists"));
        for (String bad : new String[] {"-lead", "trail-", "dou--ble", "sp ace", "x".repeat(40), ""}) {
            admin().body(Map.of("login", bad, "plan", "free")).post("/api/admin/users").then().statusCode(400)
                    .body("detail", containsString("GitHub login"));
        }
        admin().body(Map.of("login", "planless-" + UUID.randomUUID().toString().substring(0, 4), "plan", "gold"))
                .post("/api/admin/users").then().statusCode(400).body("detail", containsString("unknown plan 'gold'"));
        admin().body("{\"login\": \"x\", \"role\": \"admin\"}").post("/api/admin/users").then().statusCode(400)
                .body("detail", containsString("unknown field 'role'"));
        admin().body("{not json").post("/api/admin/users").then().statusCode(400);
        admin().post("/api/admin/users/" + UUID.randomUUID() + "/tokens").then().statusCode(404);
    }

    @Test
    void apiTokensAreStoredOnlyAsTheirHash() {
        TestUser user = Api.newUser("free");
        as(user.token()).get("/api/workspaces").then().statusCode(200);
        var rows = pool.preparedQuery("SELECT token_hash, display_prefix FROM api_tokens WHERE user_id = $1")
                .executeAndAwait(Tuple.of(user.id()));
        assertEquals(1, rows.size());
        var row = rows.iterator().next();
        assertEquals(ApiTokens.hash(user.token()), row.getString("token_hash"));
        assertFalse(row.getString("token_hash").contains(user.token().substring(ApiTokens.PREFIX.length())));
        assertEquals(ApiTokens.displayPrefix(user.token()), row.getString("display_prefix"));
        assertEquals(0, pool.preparedQuery("SELECT 1 FROM api_tokens t, users u WHERE t.token_hash = $1 "
                + "OR t.display_prefix = $1 OR u.login = $1").executeAndAwait(Tuple.of(user.token())).size());
    }

    @Test
    void signedSessionTokensAuthenticateUntilTheyExpireOrTheirSessionEnds() {
        TestUser user = Api.newUser("free");
        Instant now = Instant.now();
        String valid = TestSessions.open(user);
        as(valid).get("/api/workspaces").then().statusCode(200);
        String expired = TestSessions.open(user.id(), user.login(), now.minusSeconds(7200), now.minusSeconds(3600));
        as(expired).get("/api/workspaces").then().statusCode(401);
        String forged = new SessionTokens(sessionSecret + "-not-ours").sign(
                new SessionClaims(UUID.randomUUID(), user.id(), user.login(), now, now.plus(Duration.ofHours(1))));
        as(forged).get("/api/workspaces").then().statusCode(401);
        String ghost = TestSessions.open(UUID.randomUUID(), "ghost", now, now.plus(Duration.ofHours(1)));
        as(ghost).get("/api/workspaces").then().statusCode(401);
        // Correctly signed, unexpired, but naming a session that was never opened (or was ended): refused.
        String unopened = TestSessions.TOKENS.sign(
                new SessionClaims(UUID.randomUUID(), user.id(), user.login(), now, now.plus(Duration.ofHours(1))));
        as(unopened).get("/api/workspaces").then().statusCode(401);
        pool.preparedQuery("UPDATE sessions SET revoked_at = now() WHERE user_id = $1").executeAndAwait(Tuple.of(user.id()));
        as(valid).get("/api/workspaces").then().statusCode(401);
    }
}
