package dev.arcx.orchestrator.fuzz;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static org.awaitility.Awaitility.await;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.testkit.fuzz.OpenApiOperations.Operation;
import dev.arcx.testkit.fuzz.OpenApiOperations.Parameter;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The real objects the fuzz requests act on, made once: the owner's workspace (running, port 8080 forwarded, the path
 * to it through path-based access), a team with a second member and a pending invite, an invite into another user's
 * team addressed to the owner, a spare API token, a webhook, a sandbox session, an admin invite code and a waitlist
 * entry. Admin operations on a user name the team's member, never the owner the user caller speaks for. What a
 * successful request removed or changed is put back (a new object where one is gone), so later requests still find
 * real objects in a settled state.
 */
final class RealObjects {
    private static final Set<String> SETTLED = Set.of("running", "stopped", "failed");
    private static final String WORKSPACE = "fuzzed";
    /** Requests per token, well under the per-token limit of a minute. */
    private static final int TOKEN_USES = 200;

    final TestUser owner = Api.newUser("pro");
    private final TestUser inviter = Api.newUser("pro");
    private final List<TestUser> made = new ArrayList<>(List.of(owner, inviter));
    private TestUser member;
    private String workspace;
    private String workspaceName;
    private int workspacesMade;
    private String team;
    private String teamInvite;
    private String inviteToOwner;
    private String inviterTeam;
    private String token;
    private String webhook;
    private String session;
    private String adminInvite;
    private String waitlistEntry;
    private final String addon;
    /** The owner's and an administrator's tokens for putting things back, each replaced before the request limit. */
    private final TestUser administrator = Api.newUser("pro");
    private String ownerToken;
    private String administratorToken;
    private int ownerUses;
    private int administratorUses;

    RealObjects() {
        Api.admin().body(Map.of("admin", true)).patch("/api/admin/users/" + administrator.id()).then()
                .statusCode(200);
        made.add(administrator);
        addon = as(ownerToken()).get("/api/addons").then().statusCode(200).extract().jsonPath()
                .getString("[0].id");
        inviterTeam = Api.createTeam(inviter, "Inviting " + inviter.login());
        restoreWorkspace();
        restoreTeam();
        restoreInviteToOwner();
        restoreToken();
        restoreWebhook();
        restoreSession();
        restoreAdminInvite();
        restoreWaitlistEntry();
    }

    private String ownerToken() {
        if (ownerToken == null || ++ownerUses > TOKEN_USES) {
            ownerToken = Api.admin().post("/api/admin/users/" + owner.id() + "/tokens").then().statusCode(201)
                    .extract().path("token");
            ownerUses = 1;
        }
        return ownerToken;
    }

    private TestUser ownerNow() {
        return new TestUser(owner.id(), owner.login(), ownerToken());
    }

    private io.restassured.specification.RequestSpecification administrator() {
        if (administratorToken == null || ++administratorUses > TOKEN_USES) {
            administratorToken = Api.admin().post("/api/admin/users/" + administrator.id() + "/tokens").then()
                    .statusCode(201).extract().path("token");
            administratorUses = 1;
        }
        return as(administratorToken);
    }

    /** Every user made here, for the test to clean up after. */
    List<TestUser> made() {
        return made;
    }

    /**
     * The real id for each path parameter of the operation, chosen by the path segment before it
     * ({@code /api/teams/{id}/members/{userId}}: the team, then its member); a parameter not known here stays unknown.
     */
    Map<String, String> idsFor(Operation operation) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (Parameter parameter : operation.pathParameters()) {
            String id = idAfter(segmentBefore(operation.template(), parameter.name()), operation.template());
            if (id != null) {
                ids.put(parameter.name(), id);
            }
        }
        return ids;
    }

    private String idAfter(String segment, String template) {
        return switch (segment) {
            case "workspaces" -> workspace;
            case "ports" -> "8080";
            case "teams" -> team;
            case "invites" -> template.startsWith("/api/admin/") ? adminInvite : teamInvite;
            case "members", "users" -> member.id().toString();
            case "team-invites" -> inviteToOwner;
            case "webhooks" -> webhook;
            case "tokens" -> token;
            case "sessions" -> session;
            case "waitlist" -> waitlistEntry;
            case "flavors" -> "fullstack";
            case "resource-tiers" -> "starter";
            case "addons" -> addon;
            // The catch-all path: the owner's workspace through path-based access.
            case "" -> "@" + owner.login() + "/" + workspaceName + "/";
            default -> null;
        };
    }

    private static String segmentBefore(String template, String parameter) {
        String before = template.substring(0, template.indexOf("{" + parameter + "}"));
        String[] segments = before.split("/");
        return segments.length == 0 ? "" : segments[segments.length - 1];
    }

    /** A request on the real ids of {@code operation} succeeded: put back what it may have removed or changed. */
    void restore(Operation operation) {
        String template = operation.template();
        if (template.contains("/workspaces/{id}") || template.equals("/{path}")) {
            restoreWorkspace();
        }
        if (template.contains("teams/{id}") || template.startsWith("/api/admin/users/{id}")) {
            restoreTeam();
        }
        if (template.startsWith("/api/admin/users/{id}")) {
            restoreMember();
        }
        if (template.startsWith("/api/team-invites/{id}")) {
            restoreInviteToOwner();
        }
        if (template.startsWith("/api/tokens/{id}")) {
            restoreToken();
        }
        if (template.startsWith("/api/webhooks/{id}")) {
            restoreWebhook();
        }
        if (template.startsWith("/api/exec/sessions/{id}")) {
            restoreSession();
        }
        if (template.startsWith("/api/admin/invites/{id}")) {
            restoreAdminInvite();
        }
        if (template.startsWith("/api/admin/waitlist/{id}")) {
            restoreWaitlistEntry();
        }
    }

    /** The workspace exists, settled, without a password, alone (clones removed), with port 8080 forwarded. */
    private void restoreWorkspace() {
        for (String other : as(ownerToken()).get("/api/workspaces").then().statusCode(200).extract().jsonPath()
                .getList("id", String.class)) {
            if (!other.equals(workspace)) {
                settle(other);
                // One a fuzz request made with a password of its own stays (it is none of the real objects).
                if (as(ownerToken()).header("X-Arcx-Workspace-Password", "hostile").delete("/api/workspaces/" + other)
                        .statusCode() == 202) {
                    settle(other);
                }
            }
        }
        if (workspace != null && settle(workspace) == null) {
            workspace = null;
        }
        if (workspace != null && Boolean.TRUE.equals(as(ownerToken()).get("/api/workspaces/" + workspace).then()
                .statusCode(200).extract().path("passwordProtected"))) {
            // The fuzz requests' sample password; a password of another of their strings leaves the workspace to the
            // final clean-up, and a new one takes its place.
            int removed = as(ownerToken()).body(Map.of("currentPassword", "hostile", "removePassword", true))
                    .put("/api/workspaces/" + workspace + "/password").statusCode();
            if (removed != 200) {
                workspace = null;
            }
        }
        if (workspace == null) {
            workspaceName = WORKSPACE + "-" + ++workspacesMade;
            workspace = Api.createWorkspace(ownerNow(), workspaceName, "starter", List.of());
            settle(workspace);
        }
        JsonPath view = as(ownerToken()).get("/api/workspaces/" + workspace).then().statusCode(200).extract()
                .jsonPath();
        if (!workspaceName.equals(view.getString("name"))) {
            as(ownerToken()).body(Map.of("name", workspaceName)).patch("/api/workspaces/" + workspace).then()
                    .statusCode(200);
        }
        List<Integer> ports = as(ownerToken()).get("/api/workspaces/" + workspace + "/ports").then().statusCode(200)
                .extract().jsonPath().getList("port", Integer.class);
        if (!ports.contains(8080)) {
            as(ownerToken()).body(Map.of("share", "owner")).put("/api/workspaces/" + workspace + "/ports/8080")
                    .then().statusCode(200);
        }
    }

    /** Waits until the workspace is in a settled status; null once it is gone. */
    private String settle(String id) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var response = as(ownerToken()).get("/api/workspaces/" + id).then().extract();
            return response.statusCode() == 404 || SETTLED.contains(response.<String>path("status"));
        });
        return as(ownerToken()).get("/api/workspaces/" + id).then().extract().statusCode() == 404 ? null : id;
    }

    /** The team exists, the member is in it, one invite is pending. */
    private void restoreTeam() {
        if (team == null || as(ownerToken()).get("/api/teams/" + team).statusCode() != 200) {
            team = Api.createTeam(ownerNow(), "Fuzzed " + owner.login());
            teamInvite = null;
        }
        restoreMember();
        JsonPath view = as(ownerToken()).get("/api/teams/" + team).then().statusCode(200).extract().jsonPath();
        if (!view.getList("members.userId", String.class).contains(member.id().toString())) {
            Api.joinTeam(team, ownerNow(), member);
        }
        if (teamInvite == null || !view.getList("invites.id", String.class).contains(teamInvite)) {
            teamInvite = as(ownerToken()).body(Map.of("login", "ghost-" + owner.login()))
                    .post("/api/teams/" + team + "/invites").then().statusCode(201).extract().path("id");
        }
    }

    /** The member exists, on the pro plan, no administrator, not suspended. */
    private void restoreMember() {
        if (member != null) {
            var view = administrator().get("/api/admin/users/" + member.id()).then().extract();
            // An erased user's row stays as a tombstone, suspended for good.
            if (view.statusCode() == 404 || "erased".equals(view.path("suspensionReason"))) {
                member = null;
            } else {
                if (view.path("suspendedAt") != null) {
                    administrator().post("/api/admin/users/" + member.id() + "/unsuspend").then().statusCode(200);
                }
                if (!"pro".equals(view.path("plan")) || Boolean.TRUE.equals(view.path("admin"))) {
                    administrator().body(Map.of("plan", "pro", "admin", false)).patch("/api/admin/users/" + member.id())
                            .then().statusCode(200);
                }
            }
        }
        if (member == null) {
            member = Api.newUser("pro");
            made.add(member);
            if (team != null) {
                Api.joinTeam(team, ownerNow(), member);
            }
        }
    }

    /** An invite into the inviter's team is pending for the owner (who is no member of it). */
    private void restoreInviteToOwner() {
        JsonPath view = as(inviter.token()).get("/api/teams/" + inviterTeam).then().statusCode(200).extract()
                .jsonPath();
        if (view.getList("members.userId", String.class).contains(owner.id().toString())) {
            as(inviter.token()).delete("/api/teams/" + inviterTeam + "/members/" + owner.id()).then()
                    .statusCode(204);
        }
        if (inviteToOwner == null || !view.getList("invites.id", String.class).contains(inviteToOwner)) {
            inviteToOwner = as(inviter.token()).body(Map.of("login", owner.login()))
                    .post("/api/teams/" + inviterTeam + "/invites").then().statusCode(201).extract().path("id");
        }
    }

    private void restoreToken() {
        if (token == null || !as(ownerToken()).get("/api/tokens").then().statusCode(200).extract().jsonPath()
                .getList("id", String.class).contains(token)) {
            token = as(ownerToken()).body(Map.of("name", "spare")).post("/api/tokens").then().statusCode(201)
                    .extract().path("id");
        }
    }

    private void restoreWebhook() {
        if (webhook == null || !as(ownerToken()).get("/api/webhooks").then().statusCode(200).extract().jsonPath()
                .getList("id", String.class).contains(webhook)) {
            // Nothing listens there: deliveries fail on this machine and go nowhere else.
            webhook = as(ownerToken()).body(Map.of("url", "http://127.0.0.1:9/fuzzed")).post("/api/webhooks")
                    .then().statusCode(201).extract().path("id");
        }
    }

    private void restoreSession() {
        if (session == null || !as(ownerToken()).get("/api/exec/sessions").then().statusCode(200).extract()
                .jsonPath().getList("id", String.class).contains(session)) {
            session = as(ownerToken()).post("/api/exec/sessions").then().statusCode(201).extract().path("id");
        }
    }

    private void restoreAdminInvite() {
        List<Map<String, Object>> all = administrator().get("/api/admin/invites").then().statusCode(200).extract()
                .jsonPath().getList("$");
        boolean usable = adminInvite != null && all.stream().anyMatch(invite ->
                adminInvite.equals(invite.get("id")) && "active".equals(invite.get("status")));
        if (!usable) {
            adminInvite = administrator().body(Map.of("note", "fuzzed")).post("/api/admin/invites").then().statusCode(201)
                    .extract().path("id");
        }
    }

    /** A waitlist entry not yet approved (entries arrive through GitHub sign-in: made here in the table). */
    private void restoreWaitlistEntry() {
        try (Connection db = OrchestratorState.connect()) {
            if (waitlistEntry != null) {
                try (PreparedStatement pending = db.prepareStatement(
                        "SELECT 1 FROM waitlist WHERE id = ? AND approved_at IS NULL")) {
                    pending.setObject(1, UUID.fromString(waitlistEntry));
                    if (pending.executeQuery().next()) {
                        return;
                    }
                }
            }
            UUID id = UUID.randomUUID();
            try (PreparedStatement insert = db.prepareStatement(
                    "INSERT INTO waitlist (id, github_id, login, reason) VALUES (?, ?, ?, 'no invite')")) {
                insert.setObject(1, id);
                insert.setLong(2, Math.abs(id.getMostSignificantBits() % 1_000_000_000L) + 1);
                insert.setString(3, "waiting-" + owner.login());
                insert.executeUpdate();
            }
            waitlistEntry = id.toString();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Erases every user made here (and {@code others}), which ends their sandbox sessions and removes their workspaces
     * whatever password a fuzz request gave one, and waits until the workspaces are gone.
     */
    void close(List<TestUser> others) {
        List<TestUser> all = new ArrayList<>(made);
        all.addAll(others);
        // The last owner of a team with other members is erased once those are (409 until then).
        List<TestUser> left = new ArrayList<>(all);
        for (int pass = 0; pass < 3 && !left.isEmpty(); pass++) {
            left.removeIf(user -> Api.admin().delete("/api/admin/users/" + user.id()).statusCode() != 409);
        }
        if (!left.isEmpty()) {
            throw new AssertionError("could not erase " + left);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (Connection db = OrchestratorState.connect();
                    PreparedStatement remaining = db.prepareStatement(
                            "SELECT count(*) FROM workspaces WHERE owner_id = ANY (?)")) {
                remaining.setArray(1, db.createArrayOf("uuid", all.stream().map(TestUser::id).toArray()));
                var rows = remaining.executeQuery();
                rows.next();
                return rows.getInt(1) == 0;
            }
        });
    }
}
