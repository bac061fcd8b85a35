package dev.arcx.orchestrator.user;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.as;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.arcx.common.auth.SessionCookies;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.Endpoints;
import dev.arcx.orchestrator.testsupport.Endpoints.Endpoint;
import dev.arcx.orchestrator.testsupport.FakeGitHubResource;
import dev.arcx.orchestrator.testsupport.SignInClient;
import dev.arcx.orchestrator.testsupport.SignInClient.Hop;
import dev.arcx.orchestrator.testsupport.TestSessions;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.engine.TestEngine;
import dev.arcx.testkit.fakes.FakeGitHub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The admin users API: search and paging, plan and admin role, administrators among users (by the API and by
 * {@code arcx.admin-logins}), and suspension end to end: a real running workspace stops, the user's token, session
 * and cookie get 401 and GitHub sign-in is refused, until the suspension is lifted.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
@QuarkusTestResource(FakeGitHubResource.class)
class AdminUsersTest {
    private static final AtomicInteger ADDRESSES = new AtomicInteger();
    private static final String USERS = "/api/admin/users/";

    @TestHTTPResource("/")
    URI app;

    @Inject
    Pool pool;

    @Test
    void searchFiltersAndPagesAndThePlanChanges() {
        String tag = "srch" + UUID.randomUUID().toString().substring(0, 6);
        TestUser a = Api.newUser(tag + "-a", "free");
        TestUser b = Api.newUser(tag + "-b", "pro");
        TestUser c = Api.newUser(tag + "-c", "pro");

        admin().get("/api/admin/users?q=" + tag.toUpperCase()).then().statusCode(200).body("total", equalTo(3))
                .body("items.login", equalTo(List.of(a.login(), b.login(), c.login())));
        admin().get("/api/admin/users?q=" + tag + "&plan=pro").then().body("total", equalTo(2))
                .body("items.login", equalTo(List.of(b.login(), c.login())));
        admin().get("/api/admin/users?q=" + tag + "&limit=2").then().body("total", equalTo(3))
                .body("items", hasSize(2)).body("limit", equalTo(2));
        admin().get("/api/admin/users?q=" + tag + "&limit=2&offset=2").then().body("total", equalTo(3))
                .body("items.login", equalTo(List.of(c.login()))).body("offset", equalTo(2));
        admin().get("/api/admin/users?q=" + tag + "&suspended=true").then().body("total", equalTo(0));
        admin().get("/api/admin/users?q=" + tag + "&suspended=false").then().body("total", equalTo(3));
        // LIKE's wildcards are searched for literally.
        admin().get("/api/admin/users?q=" + tag.substring(0, 4) + "_").then().body("total", equalTo(0));
        for (String bad : List.of("limit=101", "limit=0", "limit=ten", "offset=-1", "suspended=maybe")) {
            admin().get("/api/admin/users?" + bad).then().statusCode(400).contentType("application/problem+json");
        }

        admin().get(USERS + b.id()).then().statusCode(200).body("login", equalTo(b.login()))
                .body("plan", equalTo("pro")).body("admin", equalTo(false)).body("workspaceCount", equalTo(0))
                .body("tokenCount", equalTo(1)).body("lastSignInAt", nullValue()).body("suspendedAt", nullValue());
        TestSessions.open(b);
        admin().get(USERS + b.id()).then().body("lastSignInAt", notNullValue());
        admin().get(USERS + UUID.randomUUID()).then().statusCode(404);

        admin().body(Map.of("plan", "team")).patch(USERS + b.id()).then().statusCode(200).body("plan", equalTo("team"));
        admin().get("/api/admin/audit?action=admin.user.plan&targetId=" + b.id()).then()
                .body("entries", hasSize(1)).body("entries[0].actor", equalTo("admin"))
                .body("entries[0].details.from", equalTo("pro")).body("entries[0].details.to", equalTo("team"));
        admin().body(Map.of("plan", "gold")).patch(USERS + b.id()).then().statusCode(400)
                .body("detail", containsString("unknown plan"));
        admin().body(Map.of()).patch(USERS + b.id()).then().statusCode(400);
        admin().body(Map.of("plan", "free")).patch(USERS + UUID.randomUUID()).then().statusCode(404);
        admin().get(USERS + b.id()).then().body("plan", equalTo("team"));
    }

    @Test
    void nonAdminsAreRefusedEveryAdminEndpoint() {
        TestUser user = Api.newUser("team");
        String session = TestSessions.open(user);
        List<Endpoint> adminEndpoints = Endpoints.all().stream()
                .filter(endpoint -> endpoint.template().startsWith("/api/admin")).toList();
        assertTrue(adminEndpoints.size() >= 12, "too few admin endpoints: " + adminEndpoints);
        List<String> wrong = new ArrayList<>();
        for (Endpoint endpoint : adminEndpoints) {
            int byToken = as(user.token()).body("{}").request(endpoint.method(), endpoint.path()).statusCode();
            int byCookie = given().cookie(SessionCookies.SESSION, session)
                    .header(SessionCookies.CSRF_HEADER, SessionCookies.csrfToken(session))
                    .contentType(ContentType.JSON).body("{}").request(endpoint.method(), endpoint.path()).statusCode();
            int anonymous = given().contentType(ContentType.JSON).body("{}")
                    .request(endpoint.method(), endpoint.path()).statusCode();
            if (byToken != 403 || byCookie != 403 || anonymous != 401) {
                wrong.add(endpoint + ": token " + byToken + ", cookie " + byCookie + ", anonymous " + anonymous);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void anAdministratorAmongUsersAdministersButCannotSuspendThemselves() {
        TestUser boss = Api.newUser("free");
        TestUser other = Api.newUser("free");
        as(boss.token()).get("/api/admin/users").then().statusCode(403);

        admin().body(Map.of("admin", true)).patch(USERS + boss.id()).then().statusCode(200)
                .body("admin", equalTo(true));
        as(boss.token()).get("/api/admin/users?q=" + other.login()).then().statusCode(200).body("total", equalTo(1));
        as(boss.token()).get("/api/workspaces").then().statusCode(200);
        as(boss.token()).get("/api/session").then().body("role", equalTo("admin"))
                .body("user.login", equalTo(boss.login()));
        as(boss.token()).body(Map.of("reason", "oops")).post(USERS + boss.id() + "/suspend").then().statusCode(409)
                .body("detail", containsString("yourself"));
        as(boss.token()).body(Map.of("plan", "pro")).patch(USERS + other.id()).then().statusCode(200);
        // An administrator among users acts as themselves in the audit log.
        admin().get("/api/admin/audit?action=admin.user.plan&targetId=" + other.id()).then()
                .body("entries[0].actor", equalTo(boss.id().toString()));
        admin().get("/api/admin/audit?action=admin.user.admin&targetId=" + boss.id()).then()
                .body("entries", hasSize(1)).body("entries[0].details.admin", equalTo(true));

        admin().body(Map.of("admin", false)).patch(USERS + boss.id()).then().statusCode(200);
        as(boss.token()).get("/api/admin/users").then().statusCode(403);
        as(boss.token()).get("/api/session").then().body("role", equalTo("user"));
        // The admin token keeps working.
        admin().get("/api/admin/users?limit=1").then().statusCode(200);
    }

    @Test
    void aLoginOfAdminLoginsIsAnAdministratorAfterGitHubSignIn() {
        FakeGitHub.Account account = FakeGitHubResource.github().newAccount("Octo-Admin-T", "Octo Admin");
        FakeGitHub.Account plain = FakeGitHubResource.github().newAccount("plain-" + UUID.randomUUID().toString()
                .substring(0, 6), "Plain");
        for (FakeGitHub.Account each : List.of(account, plain)) {
            String invite = admin().body(Map.of("maxUses", 1)).post("/api/admin/invites").then().statusCode(201)
                    .extract().path("code");
            SignInClient browser = browserOf(each);
            List<Hop> hops = browser.open("/auth/github?invite=" + invite);
            assertEquals("/dashboard", URI.create(hops.getLast().location()).getPath(), hops.toString());
            String session = browser.cookie(SessionCookies.SESSION);
            boolean listed = each == account;
            given().cookie(SessionCookies.SESSION, session).get("/api/session").then()
                    .body("role", equalTo(listed ? "admin" : "user"));
            given().cookie(SessionCookies.SESSION, session).get("/api/admin/users?q=octo-admin-t").then()
                    .statusCode(listed ? 200 : 403);
        }
        String id = pool.preparedQuery("SELECT id FROM users WHERE github_id = $1")
                .executeAndAwait(Tuple.of(account.id())).iterator().next().getUUID("id").toString();
        admin().get(USERS + id).then().body("admin", equalTo(true));
        admin().get("/api/admin/audit?action=admin.user.admin&targetId=" + id).then().body("entries", hasSize(1))
                .body("entries[0].actor", equalTo("system"));
    }

    @Test
    void suspensionStopsWorkspacesAndRefusesTokensCookiesAndSignInUntilLifted() {
        String login = "susp-" + UUID.randomUUID().toString().substring(0, 6);
        FakeGitHub.Account account = FakeGitHubResource.github().newAccount(login, "Suspect");
        TestUser user = Api.newUser(login, "pro");
        SignInClient browser = browserOf(account);
        assertEquals("/dashboard", URI.create(browser.open("/auth/github").getLast().location()).getPath());
        String session = TestSessions.open(user);
        // A protected workspace: the suspension stops it without its password.
        String workspace = as(user.token()).body(Map.of("name", "busy", "resourceTierId", "starter", "flavorId",
                "fullstack", "addonIds", List.of(), "passwordProtected", true, "password", "correct-horse-1"))
                .post("/api/workspaces").then().statusCode(201).extract().path("id");
        Api.awaitStatus(user, workspace, "running");
        assertTrue(containerRunning(workspace));
        assertEquals(200, browser.request("GET", "/api/workspaces", Map.of()).statusCode());
        admin().get(USERS + user.id()).then().body("workspaceCount", equalTo(1)).body("tokenCount", equalTo(1));

        admin().body(Map.of("reason", "abuse report 12")).post(USERS + user.id() + "/suspend").then().statusCode(200)
                .body("suspendedAt", notNullValue()).body("suspensionReason", equalTo("abuse report 12"));

        as(user.token()).get("/api/workspaces").then().statusCode(401);
        as(session).get("/api/workspaces").then().statusCode(401);
        assertEquals(401, browser.request("GET", "/api/workspaces", Map.of()).statusCode());
        assertTrue(browser.request("GET", "/api/session", Map.of()).body().contains("\"authenticated\":false"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> "stopped".equals(status(workspace)));
        assertFalse(containerRunning(workspace));
        assertEquals(0, pool.preparedQuery("SELECT 1 FROM sessions WHERE user_id = $1 AND revoked_at IS NULL")
                .executeAndAwait(Tuple.of(user.id())).size());
        admin().get("/api/admin/audit?action=admin.user.suspend&targetId=" + user.id()).then()
                .body("entries", hasSize(1)).body("entries[0].details.reason", equalTo("abuse report 12"))
                .body("entries[0].details.stoppedWorkspaces", equalTo(List.of(workspace)));
        admin().get("/api/admin/audit?action=workspace.stop&targetId=" + workspace).then()
                .body("entries.actor", hasItem("admin"));
        admin().get("/api/admin/users?suspended=true&q=" + login).then().body("total", equalTo(1));

        Hop refused = browserOf(account).open("/auth/github").getLast();
        assertEquals(403, refused.status(), refused.toString());
        assertTrue(refused.body().contains("suspended") && refused.body().contains("abuse report 12"), refused.body());
        admin().get("/api/admin/audit?action=auth.refused&targetId=" + login).then()
                .body("entries.details.reason", hasItem(containsString("suspended")));

        admin().post(USERS + user.id() + "/unsuspend").then().statusCode(200).body("suspendedAt", nullValue())
                .body("suspensionReason", nullValue());
        as(user.token()).get("/api/workspaces/" + workspace).then().statusCode(200).body("status", equalTo("stopped"));
        // Sessions ended by the suspension stay ended; signing in again works.
        as(session).get("/api/workspaces").then().statusCode(401);
        SignInClient again = browserOf(account);
        assertEquals("/dashboard", URI.create(again.open("/auth/github").getLast().location()).getPath());
        assertEquals(200, again.request("GET", "/api/workspaces", Map.of()).statusCode());
        admin().get("/api/admin/audit?action=admin.user.unsuspend&targetId=" + user.id()).then()
                .body("entries", hasSize(1));

        as(user.token()).header("X-Arcx-Workspace-Password", "correct-horse-1").delete("/api/workspaces/" + workspace)
                .then().statusCode(202);
        Api.awaitGone(user, workspace);
    }

    /**
     * Self-service erasure end to end: refused while the user is a team's last owner with other members and without
     * the login repeated (nothing changes); then the running workspace's container and volume go, tokens, sessions
     * and webhooks go, the row keeps no personal data, the audit log names a tombstone instead of the user, the
     * erasure is audited, and the same GitHub account signing in again is a new user.
     */
    @Test
    void aUserErasesThemselvesAndTheAuditLogKeepsOnlyATombstone() {
        String login = "erase-" + UUID.randomUUID().toString().substring(0, 6);
        FakeGitHub.Account account = FakeGitHubResource.github().newAccount(login, "Erased Person");
        TestUser user = Api.newUser(login, "pro");
        SignInClient browser = browserOf(account);
        assertEquals("/dashboard", URI.create(browser.open("/auth/github").getLast().location()).getPath());
        long githubId = account.id();
        String workspace = Api.createWorkspace(user, "mine", "starter", List.of());
        Api.awaitStatus(user, workspace, "running");
        as(user.token()).body(Map.of("url", "https://hooks.example.com/erase")).post("/api/webhooks").then()
                .statusCode(201);
        TestUser member = Api.newUser("pro");
        String shared = Api.createTeam(user, "shared");
        Api.joinTeam(shared, user, member);
        Api.createTeam(user, "solo");

        as(user.token()).body(Map.of("login", login)).delete("/api/me").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("last owner"));
        as(user.token()).body(Map.of("login", "someone-else")).delete("/api/me").then().statusCode(400);
        as(user.token()).body("{}").delete("/api/me").then().statusCode(400);
        admin().delete("/api/me").then().statusCode(403);
        as(user.token()).get("/api/workspaces/" + workspace).then().statusCode(200).body("status", equalTo("running"));
        as(user.token()).get("/api/teams").then().body("size()", equalTo(2));

        as(user.token()).body(Map.of("role", "owner")).patch("/api/teams/" + shared + "/members/" + member.id())
                .then().statusCode(200);
        String tombstone = as(user.token()).body(Map.of("login", login.toUpperCase())).delete("/api/me").then()
                .statusCode(200).body("workspaces", equalTo(1)).body("tokens", equalTo(1))
                .body("webhooks", equalTo(1)).body("teamsLeft", equalTo(2)).extract().path("tombstone");
        assertTrue(tombstone.startsWith("deleted-user-"), tombstone);

        as(user.token()).get("/api/workspaces").then().statusCode(401);
        assertEquals(401, browser.request("GET", "/api/workspaces", Map.of()).statusCode());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> pool
                .preparedQuery("SELECT 1 FROM workspaces WHERE id = $1").executeAndAwait(Tuple.of(UUID
                        .fromString(workspace))).size() == 0);
        assertFalse(containerRunningIfAny(workspace));
        assertTrue(TestEngine.docker().listVolumesCmd().exec().getVolumes().stream()
                .noneMatch(volume -> volume.getName().contains(workspace)), "the workspace's volume is gone");
        as(member.token()).get("/api/teams/" + shared).then().statusCode(200).body("members.size()", equalTo(1));

        var row = pool.preparedQuery("SELECT login, name, email, avatar_url, github_id FROM users WHERE id = $1")
                .executeAndAwait(Tuple.of(user.id())).iterator().next();
        assertEquals(tombstone, row.getString("login"));
        assertEquals(null, row.getString("name"));
        assertEquals(null, row.getString("email"));
        assertEquals(null, row.getString("avatar_url"));
        assertEquals(null, row.getLong("github_id"));
        for (String table : List.of("api_tokens WHERE user_id = $1", "sessions WHERE user_id = $1",
                "webhooks WHERE owner_id = $1", "team_members WHERE user_id = $1")) {
            assertEquals(0, pool.preparedQuery("SELECT 1 FROM " + table).executeAndAwait(Tuple.of(user.id())).size(),
                    table);
        }
        assertEquals(0, pool.preparedQuery("SELECT 1 FROM audit_log WHERE actor = $1 OR target_id = $1 "
                + "OR details::text ILIKE '%' || $1 || '%' OR details::text ILIKE '%' || $2 || '%' "
                + "OR target_id ILIKE $2").executeAndAwait(Tuple.of(user.id().toString(), login)).size(),
                "no audit entry names the user any more");
        admin().get("/api/admin/audit?actor=" + tombstone).then().statusCode(200)
                .body("entries.action", hasItem("user.erase")).body("entries.action", hasItem("team.create"))
                .body("entries.action", hasItem("workspace.delete"));
        admin().get("/api/admin/audit?action=user.erase&targetId=" + tombstone).then().body("entries", hasSize(1));
        admin().post(USERS + user.id() + "/unsuspend").then().statusCode(404);
        as(user.token()).body(Map.of("login", tombstone)).delete("/api/me").then().statusCode(401);

        // The same GitHub account is someone new now (an invite, as for anyone new).
        String invite = admin().body(Map.of("maxUses", 1)).post("/api/admin/invites").then().statusCode(201)
                .extract().path("code");
        assertEquals("/dashboard", URI.create(browserOf(account).open("/auth/github?invite=" + invite).getLast()
                .location()).getPath());
        var again = pool.preparedQuery("SELECT id, login FROM users WHERE github_id = $1")
                .executeAndAwait(Tuple.of(githubId)).iterator().next();
        assertEquals(login, again.getString("login"));
        assertFalse(again.getUUID("id").equals(user.id()), "a new user");
    }

    @Test
    void theAdministratorErasesAUser() {
        TestUser user = Api.newUser("free");
        admin().delete(USERS + UUID.randomUUID()).then().statusCode(404);
        as(user.token()).delete(USERS + user.id()).then().statusCode(403);
        admin().delete(USERS + user.id()).then().statusCode(200).body("tokens", equalTo(1))
                .body("tombstone", org.hamcrest.Matchers.startsWith("deleted-user-"));
        as(user.token()).get("/api/workspaces").then().statusCode(401);
        admin().delete(USERS + user.id()).then().statusCode(404);
        admin().get("/api/admin/audit?action=admin.user.erase").then()
                .body("entries.actor", hasItem("admin"));
    }

    @Test
    void aSuspendedOwnersWorkspacesStayDownEvenWhenJustCreatedOrStartedByTheTeam() {
        TestUser owner = Api.newUser("pro");
        TestUser member = Api.newUser("pro");
        String team = Api.createTeam(owner, "Held " + owner.login());
        Api.joinTeam(team, owner, member);
        String shared = Api.createWorkspace(owner, "shared", "starter", List.of(), team);
        // Suspended the moment they were asked for: whichever step their start had reached, they end stopped.
        String fresh = Api.createWorkspace(owner, "fresh", "starter", List.of());
        admin().body(Map.of("reason", "chargeback")).post(USERS + owner.id() + "/suspend").then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> "stopped".equals(status(fresh)) && "stopped".equals(status(shared)));
        // Long enough for a start still on its way to have brought a container up.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(300))
                .until(() -> "stopped".equals(status(fresh)) && !containerRunningIfAny(fresh)
                        && "stopped".equals(status(shared)) && !containerRunningIfAny(shared));

        // The team still sees the workspace but cannot bring it up while its owner is suspended.
        as(member.token()).get("/api/workspaces/" + shared).then().statusCode(200).body("status", equalTo("stopped"));
        as(member.token()).post("/api/workspaces/" + shared + "/start").then().statusCode(409)
                .body("detail", containsString("owner's account is suspended"));
        as(member.token()).post("/api/workspaces/" + shared + "/restart").then().statusCode(409);
        assertEquals("stopped", status(shared));

        admin().post(USERS + owner.id() + "/unsuspend").then().statusCode(200);
        as(member.token()).post("/api/workspaces/" + shared + "/start").then().statusCode(202)
                .body("status", equalTo("starting"));
        Api.awaitStatus(member, shared, "running");
        Api.deleteAllWorkspaces(owner);
    }

    private SignInClient browserOf(FakeGitHub.Account account) {
        FakeGitHubResource.github().signIn(account);
        return new SignInClient(app, "198.51.100." + ADDRESSES.incrementAndGet());
    }

    private String status(String workspace) {
        return pool.preparedQuery("SELECT status FROM workspaces WHERE id = $1")
                .executeAndAwait(Tuple.of(UUID.fromString(workspace))).iterator().next().getString("status");
    }

    /** False when there is no container at all (a start that never got that far). */
    private static boolean containerRunningIfAny(String workspace) {
        try {
            return containerRunning(workspace);
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static boolean containerRunning(String workspace) {
        return Boolean.TRUE.equals(TestEngine.docker().inspectContainerCmd("arcx-ws-" + workspace).exec().getState()
                .getRunning());
    }
}
