package dev.arcx.orchestrator.access;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.as;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.access.AccessAnswer;
import dev.arcx.common.access.AccessCheck;
import dev.arcx.common.access.AccessClient;
import dev.arcx.common.access.AccessNarrowed;
import dev.arcx.common.access.WorkspaceRole;
import dev.arcx.common.auth.SessionCookies;
import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.TestSessions;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The access check as other services ask it: NATS request/reply answered by the orchestrator from the database, and
 * a client of another service's (its own connection) whose kept answers each kind of narrowing drops. Real NATS,
 * PostgreSQL and engine.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class AccessCheckTest {
    private static final String NATS = System.getenv().getOrDefault("ARCX_NATS_URL", "nats://127.0.0.1:4222");
    private static final Duration ANSWER = Duration.ofSeconds(5);
    /** Kept far longer than any wait here: only a narrowing can make the client ask again. */
    private static final AccessClient.Settings KEEP_LONG = new AccessClient.Settings(Duration.ofSeconds(2),
            Duration.ofMinutes(10), Duration.ofMinutes(10), 1000);

    @Inject
    Connection nats;

    @Inject
    Subjects subjects;

    private final List<TestUser> owners = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable each : opened.reversed()) {
            each.close();
        }
        owners.forEach(Api::deleteAllWorkspaces);
    }

    @Test
    void ownersAndTeamMembersAreAllowedWithTheirRoleStrangersAndSuspendedUsersAreNot() throws Exception {
        TestUser owner = owner("pro");
        TestUser member = Api.newUser("free");
        TestUser stranger = Api.newUser("pro");
        String team = Api.createTeam(owner, "Access " + owner.login());
        Api.joinTeam(team, owner, member);
        UUID personal = UUID.fromString(Api.createWorkspace(owner, "acc-own", "starter", List.of()));
        UUID shared = UUID.fromString(Api.createWorkspace(owner, "acc-team", "starter", List.of(), team));

        assertEquals(AccessAnswer.allowed(WorkspaceRole.OWNER), ask(owner.id(), personal));
        assertEquals(AccessAnswer.allowed(WorkspaceRole.TEAM_OWNER), ask(owner.id(), shared));
        assertEquals(AccessAnswer.allowed(WorkspaceRole.TEAM_MEMBER), ask(member.id(), shared));

        // "Not yours" is, byte for byte, what "missing" is: a stranger, a member asking about the owner's personal
        // workspace, an unknown user, and a workspace that does not exist.
        byte[] missing = askRaw(owner.id(), UUID.randomUUID());
        assertEquals(AccessAnswer.denied(), EventCodec.decode(missing, AccessAnswer.class));
        assertArrayEquals(missing, askRaw(stranger.id(), personal));
        assertArrayEquals(missing, askRaw(stranger.id(), shared));
        assertArrayEquals(missing, askRaw(member.id(), personal));
        assertArrayEquals(missing, askRaw(UUID.randomUUID(), shared));

        // A suspended user uses nothing, their own workspaces neither; lifted, they do again.
        admin().body(Map.of()).post("/api/admin/users/" + member.id() + "/suspend").then().statusCode(200);
        admin().body(Map.of()).post("/api/admin/users/" + owner.id() + "/suspend").then().statusCode(200);
        assertArrayEquals(missing, askRaw(member.id(), shared));
        assertArrayEquals(missing, askRaw(owner.id(), personal));
        admin().post("/api/admin/users/" + owner.id() + "/unsuspend").then().statusCode(200);
        admin().post("/api/admin/users/" + member.id() + "/unsuspend").then().statusCode(200);
        assertEquals(AccessAnswer.allowed(WorkspaceRole.OWNER), ask(owner.id(), personal));
        assertEquals(AccessAnswer.allowed(WorkspaceRole.TEAM_MEMBER), ask(member.id(), shared));
    }

    @Test
    void malformedRequestsGetAnErrorAnswerAndTheResponderKeepsAnswering() throws Exception {
        TestUser owner = owner("pro");
        UUID personal = UUID.fromString(Api.createWorkspace(owner, "acc-bad", "starter", List.of()));
        List<String> bad = List.of("", "not json", "null", "[]", "42", "{}", "{\"userId\":\"not-a-uuid\"}",
                "{\"version\":1,\"userId\":\"" + owner.id() + "\"}", "{\"workspaceId\":\"" + personal + "\"}",
                "{\"userId\":\"" + owner.id() + "\",\"workspaceId\":\"" + personal + "\"", "\u0000\u0001",
                "{\"userId\":[],\"workspaceId\":{}}", "{\"userId\":\"" + owner.id() + "\",\"userId\":\"" + owner.id()
                        + "\",\"workspaceId\":\"" + personal + "\"}",
                "{\"userId\":\"" + owner.id() + "\",\"workspaceId\":\"" + personal + "\"}" + "x".repeat(100_000));
        for (String body : bad) {
            Message reply = nats.request(subjects.accessCheck(), body.getBytes(StandardCharsets.UTF_8), ANSWER);
            assertNotNull(reply, "answered: " + abbreviated(body));
            AccessAnswer answer = EventCodec.decode(reply.getData(), AccessAnswer.class);
            assertFalse(answer.allowed(), abbreviated(body));
            assertFalse(answer.answered(), "an error, not a denial: " + abbreviated(body));
            assertNotNull(answer.error());
        }
        // Without a reply subject nobody can be answered; nothing breaks either.
        nats.publish(subjects.accessCheck(), EventCodec.encode(AccessCheck.of(owner.id(), personal)));
        nats.publish(subjects.accessCheck(), "garbage".getBytes(StandardCharsets.UTF_8));
        // A version the responder does not know yet, with a field it does not know: the fields it knows answer.
        Message newer = nats.request(subjects.accessCheck(), ("{\"version\":7,\"userId\":\"" + owner.id()
                + "\",\"workspaceId\":\"" + personal + "\",\"purpose\":\"presence\"}").getBytes(StandardCharsets.UTF_8),
                ANSWER);
        assertEquals(AccessAnswer.allowed(WorkspaceRole.OWNER), EventCodec.decode(newer.getData(), AccessAnswer.class));
        assertEquals(AccessAnswer.allowed(WorkspaceRole.OWNER), ask(owner.id(), personal));
    }

    @Test
    void anotherInstallationsSubjectsAreNeitherAnsweredNorAnnouncedOn() throws Exception {
        Subjects other = new Subjects(subjects.installation() + "-other");
        TestUser owner = owner("pro");
        TestUser member = Api.newUser("free");
        String team = Api.createTeam(owner, "Isolated " + owner.login());
        Api.joinTeam(team, owner, member);
        UUID shared = UUID.fromString(Api.createWorkspace(owner, "acc-iso", "starter", List.of(), team));

        CompletableFuture<Message> theirs = nats.requestWithTimeout(other.accessCheck(),
                EventCodec.encode(AccessCheck.of(member.id(), shared)), Duration.ofSeconds(1));
        assertTrue(theirs.handle((reply, failure) -> reply == null).get(5, TimeUnit.SECONDS),
                "no orchestrator of ours answers the other installation's checks");

        Subscription ourAnnouncements = nats.subscribe(subjects.accessNarrowed());
        Subscription theirAnnouncements = nats.subscribe(other.accessNarrowed());
        nats.flush(ANSWER);
        as(owner.token()).delete("/api/teams/" + team + "/members/" + member.id()).then().statusCode(204);
        AccessNarrowed heard = next(ourAnnouncements, member.id());
        assertEquals(member.id(), heard.userId());
        assertNull(theirAnnouncements.nextMessage(Duration.ofMillis(500)), "nothing announced to the other one");
        ourAnnouncements.unsubscribe();
        theirAnnouncements.unsubscribe();
    }

    @Test
    void eachNarrowingDropsWhatAnotherServiceKept() throws Exception {
        TestUser owner = owner("pro");
        TestUser member = Api.newUser("free");
        TestUser second = Api.newUser("free");
        TestUser leaving = owner("pro");
        String team = Api.createTeam(owner, "Narrow " + owner.login());
        Api.joinTeam(team, owner, member);
        Api.joinTeam(team, owner, second);
        Api.joinTeam(team, owner, leaving);
        UUID shared = UUID.fromString(Api.createWorkspace(owner, "acc-narrow", "starter", List.of(), team));
        UUID ownedByLeaving = UUID.fromString(Api.createWorkspace(leaving, "acc-leaving", "starter", List.of()));
        AccessClient service = anotherService();

        // Removal from the team.
        assertEquals(WorkspaceRole.TEAM_MEMBER, kept(service, member.id(), shared).role());
        as(owner.token()).delete("/api/teams/" + team + "/members/" + member.id()).then().statusCode(204);
        awaitAnswer(service, member.id(), shared, AccessAnswer.denied());

        // An owner made a member: still allowed, in the lesser role.
        as(owner.token()).body(Map.of("role", "owner")).patch("/api/teams/" + team + "/members/" + second.id())
                .then().statusCode(200);
        assertEquals(WorkspaceRole.TEAM_OWNER, kept(service, second.id(), shared).role());
        as(owner.token()).body(Map.of("role", "member")).patch("/api/teams/" + team + "/members/" + second.id())
                .then().statusCode(200);
        awaitAnswer(service, second.id(), shared, AccessAnswer.allowed(WorkspaceRole.TEAM_MEMBER));

        // A share change of a workspace's port drops what was kept about the workspace.
        kept(service, owner.id(), shared);
        long asked = service.questionsAsked();
        as(owner.token()).body(Map.of("share", "public")).put("/api/workspaces/" + shared + "/ports/3000")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            service.check(owner.id(), shared).get(5, TimeUnit.SECONDS);
            return service.questionsAsked() > asked;
        });

        // A logout (a session revoked).
        kept(service, leaving.id(), ownedByLeaving);
        String session = TestSessions.open(leaving);
        String csrf = SessionCookies.csrfToken(session);
        long beforeLogout = service.questionsAsked();
        given().cookie(SessionCookies.SESSION, session).cookie(SessionCookies.CSRF, csrf)
                .header(SessionCookies.CSRF_HEADER, csrf).post("/auth/logout").then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            service.check(leaving.id(), ownedByLeaving).get(5, TimeUnit.SECONDS);
            return service.questionsAsked() > beforeLogout;
        });

        // A suspension.
        kept(service, leaving.id(), ownedByLeaving);
        kept(service, leaving.id(), shared);
        admin().body(Map.of("reason", "testing access")).post("/api/admin/users/" + leaving.id() + "/suspend")
                .then().statusCode(200);
        awaitAnswer(service, leaving.id(), ownedByLeaving, AccessAnswer.denied());
        awaitAnswer(service, leaving.id(), shared, AccessAnswer.denied());
        admin().post("/api/admin/users/" + leaving.id() + "/unsuspend").then().statusCode(200);
        // A widening is not announced: the kept denial stands until its TTL (here far away), as documented.
        assertEquals(AccessAnswer.denied(), kept(service, leaving.id(), shared));
        service.forgetAll();

        // An erasure (which deletes the user's workspaces itself).
        assertEquals(AccessAnswer.allowed(WorkspaceRole.TEAM_MEMBER), kept(service, leaving.id(), shared));
        owners.remove(leaving);
        admin().delete("/api/admin/users/" + leaving.id()).then().statusCode(200);
        awaitAnswer(service, leaving.id(), shared, AccessAnswer.denied());

        // The team's deletion (once it has no workspaces) tells who its members were.
        Api.deleteWorkspace(owner, shared.toString());
        UUID personal = UUID.fromString(Api.createWorkspace(second, "acc-second", "starter", List.of()));
        try {
            kept(service, second.id(), personal);
            long beforeDeletion = service.questionsAsked();
            as(owner.token()).delete("/api/teams/" + team).then().statusCode(204);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                service.check(second.id(), personal).get(5, TimeUnit.SECONDS);
                return service.questionsAsked() > beforeDeletion;
            });
        } finally {
            Api.deleteAllWorkspaces(second);
        }
    }

    /** A client as another service holds it: its own connection, kept answers only a narrowing drops. */
    private AccessClient anotherService() throws Exception {
        Connection own = Nats.connect(NATS);
        opened.add(own);
        AccessClient client = AccessClient.start(own, subjects, KEEP_LONG);
        opened.add(client);
        own.flush(ANSWER);
        return client;
    }

    /** The answer, asked and then kept: asking again sends no question. */
    private static AccessAnswer kept(AccessClient client, UUID user, UUID workspace) throws Exception {
        AccessAnswer answer = client.check(user, workspace).get(5, TimeUnit.SECONDS);
        long asked = client.questionsAsked();
        assertEquals(answer, client.check(user, workspace).get(5, TimeUnit.SECONDS));
        assertEquals(asked, client.questionsAsked(), "the second answer was a kept one");
        return answer;
    }

    /** Within moments the client answers {@code expected}: it dropped what it kept, and asked again. */
    private static void awaitAnswer(AccessClient client, UUID user, UUID workspace, AccessAnswer expected) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> expected.equals(client.check(user, workspace).get(5, TimeUnit.SECONDS)));
    }

    private AccessAnswer ask(UUID user, UUID workspace) throws Exception {
        return EventCodec.decode(askRaw(user, workspace), AccessAnswer.class);
    }

    private byte[] askRaw(UUID user, UUID workspace) throws Exception {
        Message reply = nats.request(subjects.accessCheck(), EventCodec.encode(AccessCheck.of(user, workspace)),
                ANSWER);
        assertNotNull(reply, "the orchestrator answers");
        return reply.getData();
    }

    private static AccessNarrowed next(Subscription subscription, UUID user) throws InterruptedException {
        for (Message m = subscription.nextMessage(ANSWER); m != null; m = subscription.nextMessage(ANSWER)) {
            AccessNarrowed narrowed = EventCodec.decode(m.getData(), AccessNarrowed.class);
            if (user.equals(narrowed.userId())) {
                return narrowed;
            }
        }
        throw new AssertionError("no narrowing announced for " + user);
    }

    private TestUser owner(String plan) {
        TestUser user = Api.newUser(plan);
        owners.add(user);
        return user;
    }

    private static String abbreviated(String body) {
        return body.length() > 80 ? body.substring(0, 80) + "…" : body;
    }
}
