package dev.arcx.orchestrator.signup;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.FakeGitHubResource;
import dev.arcx.orchestrator.testsupport.SignInClient;
import dev.arcx.orchestrator.testsupport.SignInClient.Hop;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.fakes.FakeGitHub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Invite mode (the test application's, and production's default): codes, their limits, the waitlist, approval. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
@QuarkusTestResource(FakeGitHubResource.class)
class SignupTest {
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @TestHTTPResource("/")
    URI app;

    @Test
    void adminCreatesListsAndRevokesInvites() {
        String code = "beta-" + System.nanoTime();
        String expires = Instant.now().plusSeconds(3600).toString();
        String id = admin().body(Map.of("code", code, "maxUses", 3, "expiresAt", expires, "note", "meetup"))
                .post("/api/admin/invites").then().statusCode(201).body("code", equalTo(code))
                .body("maxUses", equalTo(3)).body("uses", equalTo(0)).body("status", equalTo("active"))
                .body("note", equalTo("meetup")).extract().path("id");
        admin().body(Map.of()).post("/api/admin/invites").then().statusCode(201)
                .body("code", matchesPattern("arcx-[a-z2-9]{12}")).body("maxUses", equalTo(1));
        admin().get("/api/admin/invites").then().statusCode(200).body("code", hasItem(code));

        admin().body(Map.of("code", code)).post("/api/admin/invites").then().statusCode(409);
        admin().body(Map.of("code", "x y")).post("/api/admin/invites").then().statusCode(400);
        admin().body(Map.of("maxUses", 0)).post("/api/admin/invites").then().statusCode(400);
        admin().body(Map.of("expiresAt", "2001-01-01T00:00:00Z")).post("/api/admin/invites").then().statusCode(400);
        admin().body(Map.of("uses", 5)).post("/api/admin/invites").then().statusCode(400)
                .body("detail", containsString("unknown field 'uses'"));

        admin().delete("/api/admin/invites/" + id).then().statusCode(204);
        admin().get("/api/admin/invites").then().body("find { it.id == '" + id + "' }.status", equalTo("revoked"));
        admin().delete("/api/admin/invites/" + java.util.UUID.randomUUID()).then().statusCode(404);
        admin().queryParam("targetId", id).get("/api/admin/audit").then()
                .body("entries.action", hasItem("invite.create")).body("entries.action", hasItem("invite.revoke"));

        Api.TestUser user = Api.newUser("free");
        as(user.token()).get("/api/admin/invites").then().statusCode(403);
        as(user.token()).get("/api/admin/waitlist").then().statusCode(403);
    }

    @Test
    void withoutACodeSomeoneNewJoinsTheWaitlistAndTheAdminsApprovalLetsThemIn() {
        FakeGitHub.Account account = FakeGitHubResource.github().newAccount("wait-" + System.nanoTime() % 100000, "Wai T");
        SignInClient browser = browserOf(account);

        List<Hop> hops = browser.open("/auth/github");
        assertEquals("/waitlist", URI.create(hops.getLast().location()).getPath());
        assertNull(browser.cookie(SessionCookies.SESSION));
        JsonPath waitlist = admin().get("/api/admin/waitlist").then().statusCode(200).extract().jsonPath();
        Map<String, Object> entry = waitlist.getMap("find { it.githubId == " + account.id() + " }");
        assertNotNull(entry, waitlist.prettify());
        assertEquals(account.login(), entry.get("login"));
        assertEquals(account.primaryEmail(), entry.get("email"));
        assertEquals("signing up needs an invite code", entry.get("reason"));
        assertNull(entry.get("approvedAt"));
        // Signing in again does not make a second entry.
        browser.open("/auth/github");
        assertEquals(1, admin().get("/api/admin/waitlist").then().extract().jsonPath()
                .getList("findAll { it.githubId == " + account.id() + " }").size());

        String entryId = (String) entry.get("id");
        admin().post("/api/admin/waitlist/" + entryId + "/approve").then().statusCode(200)
                .body("entry.approvedAt", notNullValue()).body("invite.maxUses", equalTo(1));
        admin().post("/api/admin/waitlist/" + entryId + "/approve").then().statusCode(409);
        admin().post("/api/admin/waitlist/" + java.util.UUID.randomUUID() + "/approve").then().statusCode(404);

        hops = browser.open("/auth/github");
        assertEquals("/dashboard", URI.create(hops.getLast().location()).getPath(), "approved: no code to type");
        assertNotNull(browser.cookie(SessionCookies.SESSION));
    }

    @Test
    void aWrongUsedUpExpiredOrRevokedCodeLetsNobodyIn() {
        String single = admin().body(Map.of()).post("/api/admin/invites").then().extract().path("code");
        SignInClient first = browserOf(FakeGitHubResource.github().newAccount("first-" + System.nanoTime() % 100000, null));
        assertEquals("/dashboard", landing(first.open("/auth/github?invite=" + single)));

        FakeGitHub.Account secondAccount = FakeGitHubResource.github().newAccount("second-" + System.nanoTime() % 100000,
                null);
        SignInClient second = browserOf(secondAccount);
        assertEquals("/waitlist", landing(second.open("/auth/github?invite=" + single)), "used up");
        assertEquals("/waitlist", landing(second.open("/auth/github?invite=no-such-code")), "unknown");
        String revoked = admin().body(Map.of()).post("/api/admin/invites").then().extract().path("code");
        String revokedId = admin().get("/api/admin/invites").then().extract().path("find { it.code == '" + revoked + "' }.id");
        admin().delete("/api/admin/invites/" + revokedId).then().statusCode(204);
        assertEquals("/waitlist", landing(second.open("/auth/github?invite=" + revoked)), "revoked");
        assertNull(second.cookie(SessionCookies.SESSION));
        admin().get("/api/admin/waitlist").then().body("find { it.login.startsWith('second-') }.reason",
                equalTo("the invite code is unknown, used up, expired or revoked"));

        // A code of several uses admits that many people.
        String triple = admin().body(Map.of("maxUses", 2)).post("/api/admin/invites").then().extract().path("code");
        for (int i = 0; i < 2; i++) {
            SignInClient one = browserOf(FakeGitHubResource.github().newAccount("multi" + i + "-" + System.nanoTime() % 100000, null));
            assertEquals("/dashboard", landing(one.open("/auth/github?invite=" + triple)));
        }
        FakeGitHubResource.github().signIn(secondAccount);
        assertEquals("/waitlist", landing(second.open("/auth/github?invite=" + triple)));
        // A malformed code is refused before anyone goes to GitHub.
        assertEquals(400, second.request("GET", "/auth/github?invite=bad%20code", Map.of()).statusCode());
    }

    private SignInClient browserOf(FakeGitHub.Account account) {
        FakeGitHubResource.github().signIn(account);
        return new SignInClient(app, "192.0.2." + ADDRESSES.incrementAndGet());
    }

    private static String landing(List<Hop> hops) {
        return URI.create(hops.getLast().location()).getPath();
    }
}
