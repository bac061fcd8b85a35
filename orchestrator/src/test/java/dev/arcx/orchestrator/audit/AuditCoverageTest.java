package dev.arcx.orchestrator.audit;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.Endpoints;
import dev.arcx.orchestrator.testsupport.Endpoints.Endpoint;
import dev.arcx.orchestrator.testsupport.TestSessions;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every state-changing operation of the orchestrator's OpenAPI document, done once successfully, leaves its audit
 * entry naming what it changed; the few that record nothing say why here. An operation added later that is neither
 * exercised nor explained fails the test until it is.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class AuditCoverageTest {
    private static final String PASSWORD = "correct-horse-1";
    /** State-changing operations without an entry of their own, and why. */
    private static final Map<String, String> NOT_AUDITED = Map.of(
            "POST /api/workspaces/{id}/activity", "marks the workspace as in use (its idle clock), nothing else",
            "POST /api/exec", "a sandbox run: throwaway, nothing of the platform changes",
            "POST /api/exec/sessions", "a sandbox scratch session: nothing of the platform changes",
            "DELETE /api/exec/sessions/{id}", "a sandbox scratch session: nothing of the platform changes",
            "POST /api/exec/sessions/{id}/run", "a sandbox run: throwaway, nothing of the platform changes",
            "POST /webhooks/github", "github.event: InboundWebhookTest, which holds the signing secrets",
            "POST /webhooks/stripe", "stripe.event and user.plan: InboundWebhookTest, which holds the signing secrets");

    @Inject
    Pool pool;

    private final Set<String> exercised = new LinkedHashSet<>();
    private Instant since;

    @Test
    void everyStateChangingOperationThatSucceedsIsAudited() {
        since = Instant.now().minusSeconds(1);
        TestUser owner = Api.newUser("pro");
        TestUser member = Api.newUser("pro");
        adminOperations();
        String team = teamOperations(owner, member);
        tokenAndWebhookOperations(owner);
        workspaceOperations(owner);

        admin().body(Map.of("plan", "team")).patch("/api/admin/teams/" + team).then().statusCode(200);
        expect("PATCH /api/admin/teams/{id}", "admin.team.plan", team);
        as(owner.token()).delete("/api/teams/" + team).then().statusCode(204);
        expect("DELETE /api/teams/{id}", "team.delete", team);

        String session = TestSessions.open(owner);
        given().cookie(SessionCookies.SESSION, session).header(SessionCookies.CSRF_HEADER,
                SessionCookies.csrfToken(session)).post("/auth/logout").then().statusCode(204);
        expect("POST /auth/logout", "auth.logout", owner.id().toString());

        TestUser leaving = Api.newUser("free");
        String tombstone = as(leaving.token()).body(Map.of("login", leaving.login())).delete("/api/me").then()
                .statusCode(200).extract().path("tombstone");
        expect("DELETE /api/me", "user.erase", tombstone);

        Set<String> documented = new TreeSet<>();
        for (Endpoint endpoint : Endpoints.all()) {
            if (Endpoints.STATE_CHANGING.contains(endpoint.method())) {
                documented.add(endpoint.toString());
            }
        }
        List<String> uncovered = new ArrayList<>();
        for (String operation : documented) {
            if (!exercised.contains(operation) && !NOT_AUDITED.containsKey(operation)) {
                uncovered.add(operation);
            }
        }
        assertEquals(List.of(), uncovered, "state-changing operations neither exercised here nor explained");
        assertTrue(documented.containsAll(exercised), "exercised but not in the document: " + exercised);
        assertTrue(exercised.size() >= 35, "exercised only " + exercised);
    }

    private void adminOperations() {
        String user = admin().body(Map.of("login", "audited-" + UUID.randomUUID().toString().substring(0, 8),
                "plan", "free")).post("/api/admin/users").then().statusCode(201).extract().path("id");
        expect("POST /api/admin/users", "user.create", user);
        String token = admin().post("/api/admin/users/" + user + "/tokens").then().statusCode(201).extract().path("id");
        expect("POST /api/admin/users/{id}/tokens", "token.create", token);
        admin().body(Map.of("plan", "pro")).patch("/api/admin/users/" + user).then().statusCode(200);
        expect("PATCH /api/admin/users/{id}", "admin.user.plan", user);
        admin().body(Map.of("reason", "coverage")).post("/api/admin/users/" + user + "/suspend").then().statusCode(200);
        expect("POST /api/admin/users/{id}/suspend", "admin.user.suspend", user);
        admin().post("/api/admin/users/" + user + "/unsuspend").then().statusCode(200);
        expect("POST /api/admin/users/{id}/unsuspend", "admin.user.unsuspend", user);
        String tombstone = admin().delete("/api/admin/users/" + user).then().statusCode(200).extract()
                .path("tombstone");
        expect("DELETE /api/admin/users/{id}", "admin.user.erase", tombstone);

        String invite = admin().body(Map.of()).post("/api/admin/invites").then().statusCode(201).extract().path("id");
        expect("POST /api/admin/invites", "invite.create", invite);
        admin().delete("/api/admin/invites/" + invite).then().statusCode(204);
        expect("DELETE /api/admin/invites/{id}", "invite.revoke", invite);

        UUID entry = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO waitlist (id, github_id, login, reason) VALUES ($1, $2, $3, 'no invite')")
                .executeAndAwait(Tuple.of(entry, Math.abs(entry.getMostSignificantBits() % 1_000_000_000L),
                        "waiting-" + entry.toString().substring(0, 8)));
        admin().post("/api/admin/waitlist/" + entry + "/approve").then().statusCode(200);
        expect("POST /api/admin/waitlist/{id}/approve", "waitlist.approve", entry.toString());
    }

    private String teamOperations(TestUser owner, TestUser member) {
        String team = as(owner.token()).body(Map.of("name", "covered")).post("/api/teams").then().statusCode(201)
                .extract().path("id");
        expect("POST /api/teams", "team.create", team);
        as(owner.token()).body(Map.of("name", "covered again")).patch("/api/teams/" + team).then().statusCode(200);
        expect("PATCH /api/teams/{id}", "team.rename", team);
        String revoked = invite(owner, team, "ghost-" + owner.login());
        expect("POST /api/teams/{id}/invites", "team.invite", team);
        as(owner.token()).delete("/api/teams/" + team + "/invites/" + revoked).then().statusCode(204);
        expect("DELETE /api/teams/{id}/invites/{inviteId}", "team.invite.revoke", team);
        String declined = invite(owner, team, member.login());
        as(member.token()).post("/api/team-invites/" + declined + "/decline").then().statusCode(204);
        expect("POST /api/team-invites/{id}/decline", "team.decline", team);
        String accepted = invite(owner, team, member.login());
        as(member.token()).post("/api/team-invites/" + accepted + "/accept").then().statusCode(200);
        expect("POST /api/team-invites/{id}/accept", "team.join", team);
        as(owner.token()).body(Map.of("role", "owner")).patch("/api/teams/" + team + "/members/" + member.id())
                .then().statusCode(200);
        expect("PATCH /api/teams/{id}/members/{userId}", "team.member.role", team);
        as(owner.token()).delete("/api/teams/" + team + "/members/" + member.id()).then().statusCode(204);
        expect("DELETE /api/teams/{id}/members/{userId}", "team.member.remove", team);
        return team;
    }

    private static String invite(TestUser owner, String team, String login) {
        return as(owner.token()).body(Map.of("login", login)).post("/api/teams/" + team + "/invites").then()
                .statusCode(201).extract().path("id");
    }

    private void tokenAndWebhookOperations(TestUser owner) {
        String token = as(owner.token()).body(Map.of("name", "covered")).post("/api/tokens").then().statusCode(201)
                .extract().path("id");
        expect("POST /api/tokens", "token.create", token);
        as(owner.token()).delete("/api/tokens/" + token).then().statusCode(204);
        expect("DELETE /api/tokens/{id}", "token.revoke", token);
        String hook = as(owner.token()).body(Map.of("url", "https://hooks.example.com/covered")).post("/api/webhooks")
                .then().statusCode(201).extract().path("id");
        expect("POST /api/webhooks", "webhook.create", hook);
        as(owner.token()).delete("/api/webhooks/" + hook).then().statusCode(204);
        expect("DELETE /api/webhooks/{id}", "webhook.delete", hook);
    }

    private void workspaceOperations(TestUser owner) {
        String id = Api.createWorkspace(owner, "covered", "starter", List.of());
        expect("POST /api/workspaces", "workspace.create", id);
        awaitStatus(owner, id, "running");
        String path = "/api/workspaces/" + id;
        as(owner.token()).body(Map.of("addonIds", List.of())).patch(path).then().statusCode(200);
        expect("PATCH /api/workspaces/{id}", "workspace.update", id);
        as(owner.token()).body(Map.of("share", "public")).put(path + "/ports/8080").then().statusCode(200);
        expect("PUT /api/workspaces/{id}/ports/{port}", "workspace.port.share", id);
        as(owner.token()).delete(path + "/ports/8080").then().statusCode(204);
        expect("DELETE /api/workspaces/{id}/ports/{port}", "workspace.port.unshare", id);
        as(owner.token()).post(path + "/restart").then().statusCode(202);
        expect("POST /api/workspaces/{id}/restart", "workspace.restart", id);
        awaitStatus(owner, id, "running");
        as(owner.token()).body(Map.of("newPassword", PASSWORD)).put(path + "/password").then().statusCode(200);
        expect("PUT /api/workspaces/{id}/password", "workspace.password.set", id);
        awaitStatus(owner, id, "running");
        as(owner.token()).header("X-Arcx-Workspace-Password", PASSWORD).post(path + "/stop").then().statusCode(202);
        expect("POST /api/workspaces/{id}/stop", "workspace.stop", id);
        awaitStatus(owner, id, "stopped");
        as(owner.token()).post(path + "/start").then().statusCode(202);
        expect("POST /api/workspaces/{id}/start", "workspace.start", id);
        awaitStatus(owner, id, "running");
        List<String> clones = as(owner.token()).body(Map.of("count", 1)).post(path + "/clone").then().statusCode(202)
                .extract().path("id");
        expect("POST /api/workspaces/{id}/clone", "workspace.clone", id);
        clones.forEach(clone -> awaitStatus(owner, clone, "running"));
        Api.deleteAllWorkspaces(owner, PASSWORD);
        expect("DELETE /api/workspaces/{id}", "workspace.delete", id);
    }

    /** Marks {@code operation} as exercised once an entry {@code action} about {@code targetId} exists since the start. */
    private void expect(String operation, String action, String targetId) {
        List<String> found = admin().queryParam("action", action).queryParam("targetId", targetId)
                .queryParam("from", since.toString()).get("/api/admin/audit").then().statusCode(200).extract()
                .path("entries.action");
        assertTrue(found.contains(action), operation + " left no " + action + " entry about " + targetId);
        exercised.add(operation);
    }
}
