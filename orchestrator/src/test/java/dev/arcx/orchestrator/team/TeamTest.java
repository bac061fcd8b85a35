package dev.arcx.orchestrator.team;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitGone;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.createTeam;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.joinTeam;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.routing.ForwardAuthResource;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.TestSessions;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Teams on the real database, engine and NATS: creation, invites, roles, leaving, removal and deletion with their
 * refusals and audit entries; team workspaces that members use as their owner does (API, path-based access) while
 * strangers find nothing, removal taking access away at once, and the team's own quota.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class TeamTest {
    @Inject
    Pool pool;

    private final List<TestUser> users = new ArrayList<>();

    @AfterEach
    void deleteWorkspaces() {
        users.forEach(Api::deleteAllWorkspaces);
    }

    @Test
    void ownersInviteMembersWhoAcceptOrDeclineAndRolesLeavingAndDeletionKeepAnOwner() {
        TestUser owner = newUser("pro");
        TestUser alice = newUser("free");
        TestUser bob = newUser("free");
        TestUser stranger = newUser("free");

        for (Object bad : List.of(Map.of(), Map.of("name", ""), Map.of("name", "   "), Map.of("name", "x".repeat(41)),
                Map.of("name", "tab\there"))) {
            as(owner.token()).body(bad).post("/api/teams").then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString("1-40 characters"));
        }
        as(owner.token()).get("/api/teams").then().statusCode(200).body("$", empty());
        ValidatableResponse created = as(owner.token()).body(Map.of("name", "  Core Team  ")).post("/api/teams").then()
                .statusCode(201).body("name", equalTo("Core Team")).body("role", equalTo("owner"))
                .body("planId", equalTo("team")).body("slug", matchesPattern("core-team-[0-9a-f]{6}"))
                .body("members.login", equalTo(List.of(owner.login()))).body("invites", empty());
        String team = created.extract().path("id");
        String path = "/api/teams/" + team;
        as(owner.token()).body(Map.of("name", "core team")).post("/api/teams").then().statusCode(409)
                .contentType("application/problem+json");
        as(owner.token()).get("/api/teams").then().statusCode(200).body("id", equalTo(List.of(team)))
                .body("[0].memberCount", equalTo(1)).body("[0].members", nullValue());

        // Strangers learn nothing: every team endpoint answers as for a team that does not exist.
        String missing = "/api/teams/" + UUID.randomUUID();
        for (String target : List.of(path, missing)) {
            as(stranger.token()).get(target).then().statusCode(404).contentType("application/problem+json");
            as(stranger.token()).body(Map.of("login", bob.login())).post(target + "/invites").then().statusCode(404);
            as(stranger.token()).body(Map.of("role", "owner")).patch(target + "/members/" + stranger.id()).then()
                    .statusCode(404);
            as(stranger.token()).delete(target + "/members/" + owner.id()).then().statusCode(404);
            as(stranger.token()).delete(target + "/invites/" + UUID.randomUUID()).then().statusCode(404);
            as(stranger.token()).delete(target).then().statusCode(404);
        }
        as(stranger.token()).get("/api/teams").then().statusCode(200).body("$", empty());

        for (String bad : List.of("", "-alice", "alice-", "a--b", "a b", "x".repeat(40), "al/ice")) {
            as(owner.token()).body(Map.of("login", bad)).post(path + "/invites").then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString("GitHub login"));
        }
        // Logins match in any case.
        String aliceInvite = as(owner.token()).body(Map.of("login", alice.login().toUpperCase()))
                .post(path + "/invites").then().statusCode(201).body("teamName", equalTo("Core Team"))
                .extract().path("id");
        as(owner.token()).body(Map.of("login", alice.login())).post(path + "/invites").then().statusCode(409)
                .body("detail", containsString("already invited"));
        as(owner.token()).get(path).then().statusCode(200).body("invites.id", equalTo(List.of(aliceInvite)));
        as(alice.token()).get("/api/team-invites").then().statusCode(200).body("id", equalTo(List.of(aliceInvite)));
        as(alice.token()).get(path).then().statusCode(404);
        // Only the invitee answers an invite.
        as(stranger.token()).post("/api/team-invites/" + aliceInvite + "/accept").then().statusCode(404);
        as(bob.token()).post("/api/team-invites/" + aliceInvite + "/decline").then().statusCode(404);
        as(owner.token()).post("/api/team-invites/" + aliceInvite + "/accept").then().statusCode(404);
        as(alice.token()).post("/api/team-invites/" + aliceInvite + "/accept").then().statusCode(200)
                .body("role", equalTo("member")).body("members.login", hasItem(alice.login()))
                .body("invites", empty());
        as(alice.token()).post("/api/team-invites/" + aliceInvite + "/accept").then().statusCode(404);
        as(alice.token()).get("/api/team-invites").then().statusCode(200).body("$", empty());
        as(owner.token()).body(Map.of("login", alice.login())).post(path + "/invites").then().statusCode(409)
                .body("detail", containsString("already a member"));

        // Members use the team; owners manage it.
        as(alice.token()).get(path).then().statusCode(200).body("members", hasSize(2));
        as(alice.token()).body(Map.of("login", bob.login())).post(path + "/invites").then().statusCode(403)
                .contentType("application/problem+json");
        as(alice.token()).body(Map.of("role", "owner")).patch(path + "/members/" + alice.id()).then().statusCode(403);
        as(alice.token()).delete(path + "/members/" + owner.id()).then().statusCode(403);
        as(alice.token()).delete(path).then().statusCode(403);

        String bobInvite = as(owner.token()).body(Map.of("login", bob.login())).post(path + "/invites").then()
                .statusCode(201).extract().path("id");
        as(bob.token()).post("/api/team-invites/" + bobInvite + "/decline").then().statusCode(204);
        as(bob.token()).get("/api/team-invites").then().statusCode(200).body("$", empty());
        as(bob.token()).get(path).then().statusCode(404);
        String ghostInvite = as(owner.token()).body(Map.of("login", "not-signed-up-yet")).post(path + "/invites")
                .then().statusCode(201).extract().path("id");
        as(alice.token()).delete(path + "/invites/" + ghostInvite).then().statusCode(403);
        as(owner.token()).delete(path + "/invites/" + ghostInvite).then().statusCode(204);
        as(owner.token()).delete(path + "/invites/" + ghostInvite).then().statusCode(404);
        as(owner.token()).get(path).then().statusCode(200).body("invites", empty());

        // Roles: the last owner stays one.
        as(owner.token()).body(Map.of("role", "boss")).patch(path + "/members/" + alice.id()).then().statusCode(400);
        as(owner.token()).body(Map.of("role", "member")).patch(path + "/members/" + owner.id()).then().statusCode(409)
                .body("detail", containsString("last owner"));
        as(owner.token()).delete(path + "/members/" + owner.id()).then().statusCode(409)
                .body("detail", containsString("last owner"));
        as(owner.token()).body(Map.of("role", "owner")).patch(path + "/members/" + bob.id()).then().statusCode(404);
        as(owner.token()).body(Map.of("role", "owner")).patch(path + "/members/" + alice.id()).then().statusCode(200)
                .body("members.find { it.login == '" + alice.login() + "' }.role", equalTo("owner"));
        as(owner.token()).body(Map.of("role", "member")).patch(path + "/members/" + owner.id()).then().statusCode(200)
                .body("role", equalTo("member"));
        as(owner.token()).delete(path).then().statusCode(403);
        as(alice.token()).delete(path + "/members/" + alice.id()).then().statusCode(409);
        // A member leaves; an owner removes anyone.
        as(owner.token()).delete(path + "/members/" + owner.id()).then().statusCode(204);
        as(owner.token()).get(path).then().statusCode(404);
        as(owner.token()).get("/api/teams").then().statusCode(200).body("$", empty());
        joinTeam(team, alice, bob);
        as(alice.token()).delete(path + "/members/" + bob.id()).then().statusCode(204);
        as(bob.token()).get(path).then().statusCode(404);
        as(alice.token()).delete(path + "/members/" + bob.id()).then().statusCode(404);

        as(alice.token()).delete(path).then().statusCode(204);
        as(alice.token()).get(path).then().statusCode(404);
        as(alice.token()).get("/api/teams").then().statusCode(200).body("$", empty());

        List<String> actions = admin().queryParam("targetId", team).queryParam("action", "team.")
                .get("/api/admin/audit").then().statusCode(200).extract().jsonPath().getList("entries.action");
        for (String action : List.of("team.create", "team.invite", "team.invite.revoke", "team.join", "team.decline",
                "team.member.role", "team.member.remove", "team.leave", "team.delete")) {
            assertTrue(actions.contains(action), action + " missing from " + actions);
        }
    }

    @Test
    void membersUseTheTeamsWorkspacesAsTheirOwnerDoesStrangersFindNothingAndTheTeamHasItsOwnQuota() {
        TestUser owner = newUser("free");
        TestUser member = newUser("free");
        TestUser stranger = newUser("free");
        String team = createTeam(owner, "builders");
        joinTeam(team, owner, member);

        createWorkspace(owner, "mine", "starter", List.of());
        // The free plan's one workspace is used, yet the team's workspace counts against the team's plan.
        String id = createWorkspace(owner, "shared", "starter", List.of(), team);
        as(stranger.token()).body(Map.of("name", "sneaky", "teamId", team)).post("/api/workspaces").then()
                .statusCode(404).contentType("application/problem+json");
        as(stranger.token()).body(Map.of("name", "sneaky", "teamId", UUID.randomUUID().toString()))
                .post("/api/workspaces").then().statusCode(404);
        as(member.token()).get("/api/workspaces").then().statusCode(200).body("name", equalTo(List.of("shared")))
                .body("[0].teamId", equalTo(team)).body("[0].ownerLogin", equalTo(owner.login()));
        as(owner.token()).get("/api/workspaces").then().statusCode(200).body("name", equalTo(List.of("mine", "shared")))
                .body("find { it.name == 'mine' }.teamId", nullValue());
        as(stranger.token()).get("/api/workspaces").then().statusCode(200).body("name", not(hasItem("shared")));
        awaitStatus(member, id, "running");

        String ws = "/api/workspaces/" + id;
        strangerFindsNothing(stranger, ws);
        as(member.token()).get(ws + "/logs").then().statusCode(200);
        as(member.token()).get(ws + "/stats").then().statusCode(200);
        as(member.token()).post(ws + "/activity").then().statusCode(204);
        // Addresses are the owner's, whoever asks.
        as(member.token()).body(Map.of("share", "owner")).put(ws + "/ports/5000").then().statusCode(200)
                .body("url", equalTo("/@" + owner.login() + "/shared/ports/5000/"));
        as(member.token()).get(ws + "/ports").then().statusCode(200).body("port", equalTo(List.of(5000)));

        // Path-based access lets the team in, and only the team.
        String ide = "/@" + owner.login() + "/shared/";
        int reached = visit(member).get(ide).then().extract().statusCode();
        assertTrue(reached != 401 && reached != 403 && reached != 404, "a member is let through, got " + reached);
        // A stranger finds it as they would find a missing workspace.
        visit(stranger).get(ide).then().statusCode(404).contentType("application/problem+json");
        visit(stranger).get(ide + "ports/5000/").then().statusCode(404);

        as(member.token()).post(ws + "/stop").then().statusCode(202);
        awaitStatus(member, id, "stopped");
        as(member.token()).post(ws + "/start").then().statusCode(202);
        awaitStatus(owner, id, "running");
        String stopEntryActor = admin().queryParam("targetId", id).queryParam("action", "workspace.stop")
                .get("/api/admin/audit").then().statusCode(200).extract()
                .path("entries.find { it.action == 'workspace.stop' }.actor");
        assertEquals(member.id().toString(), stopEntryActor);

        // A member's clone is the team's, named under the owner.
        String clone = as(member.token()).body(Map.of("count", 1)).post(ws + "/clone").then().statusCode(202)
                .body("[0].teamId", equalTo(team)).body("[0].ownerLogin", equalTo(owner.login()))
                .extract().path("[0].id");
        awaitStatus(member, clone, "running");
        Api.deleteWorkspace(member, clone);

        // A member protects the workspace; stop then needs the password, from anyone.
        as(member.token()).body(Map.of("newPassword", "team-secret")).put(ws + "/password").then().statusCode(200)
                .body("passwordProtected", equalTo(true));
        awaitStatus(owner, id, "running");
        as(owner.token()).post(ws + "/stop").then().statusCode(401);
        as(owner.token()).body(Map.of("password", "team-secret")).post(ws + "/stop").then().statusCode(202);
        awaitStatus(owner, id, "stopped");
        as(owner.token()).body(Map.of("currentPassword", "team-secret", "removePassword", true))
                .put(ws + "/password").then().statusCode(200);

        // A team holding workspaces is not deleted.
        as(owner.token()).delete("/api/teams/" + team).then().statusCode(409).body("detail", containsString("1 workspace"));

        // Removal takes the team's workspaces away at once.
        as(owner.token()).delete("/api/teams/" + team + "/members/" + member.id()).then().statusCode(204);
        strangerFindsNothing(member, ws);
        as(member.token()).get("/api/workspaces").then().statusCode(200).body("$", empty());
        visit(member).get(ide).then().statusCode(404);

        // The team's own quota: with a plan of one workspace, a second is refused; the owner's plan is apart. Only
        // the administrator moves a team's plan.
        as(owner.token()).body(Map.of("plan", "free")).patch("/api/admin/teams/" + team).then().statusCode(403);
        Api.admin().body(Map.of("plan", "platinum")).patch("/api/admin/teams/" + team).then().statusCode(400)
                .body("detail", containsString("no plan 'platinum'"));
        Api.admin().body(Map.of("plan", "free")).patch("/api/admin/teams/" + UUID.randomUUID()).then().statusCode(404);
        Api.admin().body(Map.of("plan", "free")).patch("/api/admin/teams/" + team).then().statusCode(200)
                .body("planId", equalTo("free")).body("members", equalTo(1)).body("workspaces", equalTo(1));
        Api.admin().get("/api/admin/audit?action=admin.team.plan&targetId=" + team).then()
                .body("entries[0].details.plan", equalTo("free"));
        as(owner.token()).body(Map.of("name", "second", "teamId", team)).post("/api/workspaces").then()
                .statusCode(403).body("detail", containsString("the team's plan allows 1 workspace and the team has 1"));
        as(owner.token()).body(Map.of("name", "second")).post("/api/workspaces").then().statusCode(403)
                .body("detail", containsString("your plan allows 1 workspace and you have 1"));
        Api.admin().body(Map.of("plan", "team")).patch("/api/admin/teams/" + team).then().statusCode(200);
        Api.admin().get("/api/admin/teams").then().statusCode(200)
                .body("find { it.id == '" + team + "' }.planId", equalTo("team"));
        String second = createWorkspace(owner, "second", "starter", List.of(), team);
        Api.deleteWorkspace(owner, second);

        Api.deleteAllWorkspaces(owner);
        awaitGone(owner, id);
        as(owner.token()).delete("/api/teams/" + team).then().statusCode(204);
    }

    /** Every workspace endpoint answers 404 to someone who may not use the workspace. */
    @Test
    void ownersRenameTheTeamAndOthersCannot() {
        TestUser owner = newUser("pro");
        TestUser member = newUser("free");
        TestUser stranger = newUser("free");
        String team = Api.createTeam(owner, "Before");
        Api.createTeam(owner, "Taken");
        Api.joinTeam(team, owner, member);
        String path = "/api/teams/" + team;
        String slug = as(owner.token()).get(path).then().extract().path("slug");

        for (Object bad : List.of(Map.of(), Map.of("name", " "), Map.of("name", "y".repeat(41)))) {
            as(owner.token()).body(bad).patch(path).then().statusCode(400).contentType("application/problem+json");
        }
        as(owner.token()).body(Map.of("name", "taken")).patch(path).then().statusCode(409)
                .body("detail", containsString("already have a team named"));
        as(member.token()).body(Map.of("name", "Mine now")).patch(path).then().statusCode(403);
        as(stranger.token()).body(Map.of("name", "Mine now")).patch(path).then().statusCode(404);
        as(owner.token()).get(path).then().body("name", equalTo("Before"));

        as(owner.token()).body(Map.of("name", "  After  ")).patch(path).then().statusCode(200)
                .body("name", equalTo("After")).body("slug", equalTo(slug)).body("members.size()", equalTo(2));
        as(member.token()).get("/api/teams").then().body("name", equalTo(List.of("After")));
        Api.admin().get("/api/admin/audit?action=team.rename&targetId=" + team).then()
                .body("entries[0].details.from", equalTo("Before")).body("entries[0].details.to", equalTo("After"));
    }

    private static void strangerFindsNothing(TestUser user, String ws) {
        as(user.token()).get(ws).then().statusCode(404).contentType("application/problem+json");
        as(user.token()).body(Map.of("resourceTierId", "starter")).patch(ws).then().statusCode(404);
        for (String action : List.of("/start", "/stop", "/restart", "/activity")) {
            as(user.token()).post(ws + action).then().statusCode(404);
        }
        as(user.token()).body(Map.of("count", 1)).post(ws + "/clone").then().statusCode(404);
        as(user.token()).get(ws + "/logs").then().statusCode(404);
        as(user.token()).get(ws + "/stats").then().statusCode(404);
        as(user.token()).body(Map.of("newPassword", "intruder-pw")).put(ws + "/password").then().statusCode(404);
        as(user.token()).get(ws + "/ports").then().statusCode(404);
        as(user.token()).body(Map.of("share", "public")).put(ws + "/ports/5000").then().statusCode(404);
        as(user.token()).delete(ws + "/ports/5000").then().statusCode(404);
        as(user.token()).delete(ws).then().statusCode(404);
    }

    private static RequestSpecification visit(TestUser user) {
        return given().urlEncodingEnabled(false).cookie(ForwardAuthResource.SESSION_COOKIE, TestSessions.open(user));
    }

    private TestUser newUser(String plan) {
        TestUser user = Api.newUser(plan);
        users.add(user);
        return user;
    }
}
