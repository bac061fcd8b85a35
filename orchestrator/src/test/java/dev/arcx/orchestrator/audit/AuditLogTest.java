package dev.arcx.orchestrator.audit;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.deleteWorkspace;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.events.AuditEvent;
import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The audit log: what is recorded, by whom and from where, on NATS too, and how the admin reads it. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class AuditLogTest {
    @Inject
    Subjects subjects;

    @Inject
    Pool pool;

    @Inject
    AuditLog audit;

    @ConfigProperty(name = "arcx.nats.url")
    String natsUrl;

    @Test
    void adminActionsAreRecordedWithTheCallersAddress() {
        String userId = admin().header("X-Forwarded-For", "203.0.113.7, 10.0.0.1")
                .body(Map.of("login", "audited-" + System.nanoTime(), "plan", "free"))
                .post("/api/admin/users").then().statusCode(201).extract().path("id");
        String tokenId = admin().post("/api/admin/users/" + userId + "/tokens").then().statusCode(201)
                .extract().path("id");

        var created = single(admin().queryParam("targetId", userId).queryParam("action", "user.create"));
        assertEquals("admin", created.getString("actor"));
        assertEquals("user", created.getString("targetType"));
        assertEquals("203.0.113.7", created.getString("sourceIp"), "the trusted proxy's first hop");
        assertEquals("free", created.getString("details.plan"));

        var issued = single(admin().queryParam("targetId", tokenId));
        assertEquals("token.create", issued.getString("action"));
        assertEquals("admin", issued.getString("actor"));
        assertEquals("127.0.0.1", issued.getString("sourceIp"), "no proxy header: the peer's address");
        assertEquals(userId, issued.getString("details.userId"));
        assertTrue(issued.getString("details.prefix").startsWith("arcx_pat_"));
    }

    @Test
    void lifecycleActionsAreRecordedAndPublishedOnNats() throws Exception {
        TestUser user = Api.newUser("pro");
        try (Connection nats = Nats.connect(natsUrl)) {
            Subscription sub = nats.subscribe(subjects.audit("workspace.>"));
            nats.flush(Duration.ofSeconds(2));
            String id = createWorkspace(user, "audited", "starter", List.of());
            awaitStatus(user, id, "running");
            as(user.token()).header("X-Forwarded-For", "198.51.100.9").post("/api/workspaces/" + id + "/stop")
                    .then().statusCode(202);
            awaitStatus(user, id, "stopped");
            deleteWorkspace(user, id);

            List<String> expected = List.of("workspace.create", "workspace.running", "workspace.stop",
                    "workspace.stopped", "workspace.delete", "workspace.deleted");
            await().atMost(Duration.ofSeconds(10)).until(() -> actions(id).containsAll(expected));
            List<Map<String, Object>> entries = admin().queryParam("targetId", id).get("/api/admin/audit")
                    .then().statusCode(200).extract().path("entries");
            for (Map<String, Object> e : entries) {
                boolean byUser = List.of("workspace.create", "workspace.stop", "workspace.delete")
                        .contains((String) e.get("action"));
                assertEquals(byUser ? user.id().toString() : "system", e.get("actor"), e.toString());
                assertEquals("workspace", e.get("targetType"));
            }
            var stop = entries.stream().filter(e -> e.get("action").equals("workspace.stop")).findFirst().orElseThrow();
            assertEquals("198.51.100.9", stop.get("sourceIp"));
            var create = entries.stream().filter(e -> e.get("action").equals("workspace.create")).findFirst()
                    .orElseThrow();
            assertEquals("127.0.0.1", create.get("sourceIp"));
            var running = entries.stream().filter(e -> e.get("action").equals("workspace.running")).findFirst()
                    .orElseThrow();
            assertNull(running.get("sourceIp"), "the system's own move has no caller");

            // Every entry is also on NATS core, on <installation>.audit.<action>; other test runs may publish too.
            Set<String> published = new HashSet<>();
            var message = sub.nextMessage(Duration.ofSeconds(5));
            while (message != null && !published.containsAll(expected)) {
                AuditEvent event = EventCodec.decode(message.getData(), AuditEvent.class);
                if (event.targetId().equals(id)) {
                    assertEquals(subjects.audit(event.action()), message.getSubject());
                    published.add(event.action());
                    if (event.action().equals("workspace.create")) {
                        assertEquals(create.get("id"), event.id().toString());
                        assertEquals(user.id().toString(), event.actor());
                    }
                }
                message = published.containsAll(expected) ? null : sub.nextMessage(Duration.ofSeconds(5));
            }
            assertTrue(published.containsAll(expected), "published: " + published);
        }
    }

    /**
     * A trigger installed here makes PostgreSQL refuse every entry about one user: each of their actions (and the
     * administrator's on them) must then be refused as a whole, leaving nothing behind.
     */
    @Test
    void anActionWhoseEntryCannotBeStoredIsRefusedAndChangesNothing() {
        TestUser user = Api.newUser("pro");
        String who = user.id().toString();
        String trigger = "refuse_audit_" + who.replace("-", "");
        sql("CREATE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "RAISE EXCEPTION 'the test refuses this entry'; END $$");
        sql("CREATE TRIGGER " + trigger + " BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.actor = '" + who
                + "' OR NEW.target_id = '" + who + "') EXECUTE FUNCTION " + trigger + "()");
        try {
            refused(as(user.token()).body(Map.of("name", "unrecorded")).post("/api/teams"));
            as(user.token()).get("/api/teams").then().statusCode(200).body("size()", equalTo(0));

            refused(as(user.token()).body(Map.of("name", "unrecorded")).post("/api/tokens"));
            as(user.token()).get("/api/tokens").then().statusCode(200).body("findAll { it.name == 'unrecorded' }",
                    equalTo(List.of()));

            refused(as(user.token()).body(Map.of("url", "https://example.com/unrecorded")).post("/api/webhooks"));
            as(user.token()).get("/api/webhooks").then().statusCode(200).body("size()", equalTo(0));

            refused(as(user.token()).body(Map.of("name", "unrecorded", "resourceTierId", "starter", "flavorId",
                    "fullstack", "addonIds", List.of())).post("/api/workspaces"));
            as(user.token()).get("/api/workspaces").then().statusCode(200).body("size()", equalTo(0));

            refused(admin().body(Map.of("reason", "unrecorded")).post("/api/admin/users/" + who + "/suspend"));
            admin().get("/api/admin/users/" + who).then().statusCode(200).body("suspendedAt", equalTo(null));
            as(user.token()).get("/api/workspaces").then().statusCode(200);

            refused(admin().body(Map.of("plan", "free")).patch("/api/admin/users/" + who));
            admin().get("/api/admin/users/" + who).then().statusCode(200).body("plan", equalTo("pro"));
        } finally {
            sql("DROP TRIGGER " + trigger + " ON audit_log");
            sql("DROP FUNCTION " + trigger + "()");
        }
        // The same request goes through once its entry can be stored, and the entry is there.
        String team = as(user.token()).body(Map.of("name", "unrecorded")).post("/api/teams").then().statusCode(201)
                .extract().path("id");
        assertEquals("team.create", single(admin().queryParam("targetId", team)).getString("action"));
    }

    /** Details PostgreSQL's json refuses (NUL, a lone surrogate) are stored with U+FFFD in their place. */
    @Test
    void oddStringsInDetailsAreStored() {
        String target = UUID.randomUUID().toString();
        audit.record(Caller.SYSTEM, "test.odd", "test", target, Map.of("name", "a\ud800b\u0000c",
                "nested", Map.of("list", List.of("\udc00")), "pair", "\ud83d\ude00")).await().indefinitely();
        var entry = single(admin().queryParam("targetId", target));
        assertEquals("a\ufffdb\ufffdc", entry.getString("details.name"));
        assertEquals(List.of("\ufffd"), entry.getList("details.nested.list"));
        assertEquals("\ud83d\ude00", entry.getString("details.pair"), "a surrogate pair is a character, kept");
    }

    private static void refused(io.restassured.response.Response response) {
        response.then().statusCode(503).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("audit entry"));
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().indefinitely();
    }

    @Test
    void filtersAndPagesNewestFirst() {
        TestUser user = Api.newUser("free");
        Instant before = Instant.now();
        for (int i = 0; i < 5; i++) {
            as(user.token()).body(Map.of("url", "https://example.com/hook/" + i)).post("/api/webhooks")
                    .then().statusCode(201);
        }
        String actor = user.id().toString();

        List<Map<String, Object>> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = admin().queryParam("actor", actor).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/admin/audit").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("entries"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(5, seen.size());
        assertEquals(5, seen.stream().map(e -> e.get("id")).distinct().count(), "no entry on two pages");
        assertEquals("https://example.com/hook/4", ((Map<?, ?>) seen.getFirst().get("details")).get("url"),
                "newest first");
        assertEquals("https://example.com/hook/0", ((Map<?, ?>) seen.getLast().get("details")).get("url"));

        admin().queryParam("actor", actor).queryParam("action", "webhook.").get("/api/admin/audit").then()
                .statusCode(200).body("entries.size()", equalTo(5));
        admin().queryParam("actor", actor).queryParam("action", "workspace.").get("/api/admin/audit").then()
                .statusCode(200).body("entries.size()", equalTo(0));
        admin().queryParam("actor", actor).queryParam("from", before.toString())
                .queryParam("to", Instant.now().plusSeconds(1).toString()).get("/api/admin/audit").then()
                .statusCode(200).body("entries.size()", equalTo(5));
        admin().queryParam("actor", actor).queryParam("to", before.toString()).get("/api/admin/audit").then()
                .statusCode(200).body("entries.size()", equalTo(0)).body("nextCursor", equalTo(null));
    }

    @Test
    void badFiltersAreProblems() {
        for (var bad : List.of(Map.of("limit", "0"), Map.of("limit", "201"), Map.of("limit", "many"),
                Map.of("from", "yesterday"), Map.of("to", "2026-13-01T00:00:00Z"), Map.of("cursor", "not-ours"),
                Map.of("from", "2026-02-01T00:00:00Z", "to", "2026-01-01T00:00:00Z"))) {
            admin().queryParams(bad).get("/api/admin/audit").then().statusCode(400)
                    .contentType("application/problem+json").body("status", equalTo(400));
        }
        admin().queryParam("limit", 200).get("/api/admin/audit").then().statusCode(200);
    }

    @Test
    void usersCannotReadTheAuditLog() {
        TestUser user = Api.newUser("free");
        as(user.token()).get("/api/admin/audit").then().statusCode(403);
    }

    private static Set<String> actions(String targetId) {
        List<String> actions = admin().queryParam("targetId", targetId).get("/api/admin/audit").then().statusCode(200)
                .extract().path("entries.action");
        return new HashSet<>(actions);
    }

    private static JsonPath single(io.restassured.specification.RequestSpecification query) {
        JsonPath page = query.get("/api/admin/audit").then().statusCode(200).extract().jsonPath();
        assertEquals(1, page.getList("entries").size(), page.prettify());
        assertNotNull(page.getString("entries[0].id"));
        return page.setRootPath("entries[0]");
    }
}
