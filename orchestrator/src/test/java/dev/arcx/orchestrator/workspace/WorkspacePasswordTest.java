package dev.arcx.orchestrator.workspace;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitGone;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.testkit.engine.TestEngine.docker;
import static dev.arcx.testkit.engine.TestEngine.exec;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.TestSettings;
import dev.arcx.testkit.engine.TestEngine.ExecResult;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/**
 * Workspace passwords on the real engine and database: every transition of PUT /password, stop and delete of a
 * protected workspace, the attempt limit, other users, and the IDE auth file in running and stopped containers. The
 * test image is busybox, not code-server: the file, its owner and mode, its re-write at restart, and the code-server
 * start script's reading of it (run with a stand-in code-server) are proved here; code-server accepting the hash at
 * its login page is WorkspaceCodeServerIT's part.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class WorkspacePasswordTest {
    private static final String HOME = "/home/developer";
    private static final String AUTH_FILE = HOME + "/.config/arcx/code-server-auth";
    private static final Path SCRIPT = TestSettings.repositoryRoot()
            .resolve("images/recipes/addons/code-server/code-server.sh");

    @Inject
    WorkspaceRepository repository;

    @Inject
    PasswordAttempts attempts;

    @Test
    void everyTransitionOfThePasswordReachesTheDatabaseAndTheRunningIde() {
        TestUser user = Api.newUser("pro");
        ValidatableResponse created = as(user.token()).body(Map.of("name", "guarded", "resourceTierId", "starter",
                "flavorId", "fullstack", "addonIds", List.of(), "passwordProtected", true, "password", "first-secret"))
                .post("/api/workspaces").then().statusCode(201).body("passwordProtected", equalTo(true));
        String body = created.extract().asString();
        assertFalse(body.contains("first-secret") || body.contains("$2b$") || body.contains("argon2"), body);
        String id = created.extract().path("id");
        awaitStatus(user, id, "running");
        String container = "arcx-ws-" + id;
        assertIdeFile(runningFile(container), "first-secret");
        PasswordHashes first = hashes(id);
        assertTrue(first.bcrypt().startsWith("$2b$10$") && PasswordHashing.matches("first-secret", first.bcrypt()));

        // Refusals change nothing: bad lengths, a set without the current password, a wrong current one.
        for (String bad : new String[] {"short", "x".repeat(51)}) {
            password(user, id, Map.of("currentPassword", "first-secret", "newPassword", bad)).statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString("8 to 50 characters"));
        }
        password(user, id, Map.of("newPassword", "second-secret")).statusCode(401)
                .contentType("application/problem+json").body("title", equalTo("Workspace password required"));
        password(user, id, Map.of("currentPassword", "not-the-one", "newPassword", "second-secret")).statusCode(401)
                .body("title", equalTo("Wrong workspace password"));
        password(user, id, Map.of("currentPassword", "not-the-one", "removePassword", true)).statusCode(401);
        assertEquals(first.bcrypt(), hashes(id).bcrypt());
        assertIdeFile(runningFile(container), "first-secret");

        // Update with the right current password: stored, written, and the running workspace restarts to apply it.
        String startedAt = startedAt(container);
        password(user, id, Map.of("currentPassword", "first-secret", "newPassword", "second-secret")).statusCode(200)
                .body("passwordProtected", equalTo(true)).body("status", equalTo("stopping"));
        awaitRestarted(user, id, container, startedAt);
        assertTrue(PasswordHashing.matches("second-secret", hashes(id).bcrypt()));
        assertIdeFile(runningFile(container), "second-secret");

        // Remove with the right current password: auth none after the restart.
        startedAt = startedAt(container);
        password(user, id, Map.of("currentPassword", "second-secret", "removePassword", true)).statusCode(200)
                .body("passwordProtected", equalTo(false));
        awaitRestarted(user, id, container, startedAt);
        assertNull(repository.passwordHashes(UUID.fromString(id)).await().indefinitely());
        assertEquals("CODE_SERVER_AUTH=none", settings(runningFile(container)));
        password(user, id, Map.of("currentPassword", "second-secret", "removePassword", true)).statusCode(409);

        // Set on an unprotected workspace: no current password needed.
        startedAt = startedAt(container);
        password(user, id, Map.of("newPassword", "third-secret")).statusCode(200).body("passwordProtected", equalTo(true));
        awaitRestarted(user, id, container, startedAt);
        assertIdeFile(runningFile(container), "third-secret");

        // The start script of the code-server add-on reads what was written (a stand-in code-server shows its
        // command line and environment); a plain PASSWORD from the environment no longer counts.
        ExecResult started = runStartScript(container);
        assertEquals(0, started.exitCode(), started.output());
        assertTrue(started.output().contains("--auth password"), started.output());
        assertTrue(started.output().contains("HASHED_PASSWORD=" + argon2Line(runningFile(container))), started.output());
        assertTrue(started.output().contains("PASSWORD-FROM-ENV=\n"), started.output());

        // The audit log has each change and each wrong password, and never a password.
        List<Map<String, Object>> entries = await().atMost(Duration.ofSeconds(10)).until(() -> admin()
                .queryParam("targetId", id).queryParam("action", "workspace.password").get("/api/admin/audit").then()
                .statusCode(200).extract().<List<Map<String, Object>>>path("entries"), list -> list.size() == 5);
        assertEquals(List.of("workspace.password.set", "workspace.password.remove", "workspace.password.update",
                "workspace.password.failed", "workspace.password.failed"),
                entries.stream().map(e -> e.get("action")).toList());
        String audit = entries.toString();
        for (String secret : new String[] {"first-secret", "second-secret", "third-secret", "not-the-one", "$2b$"}) {
            assertFalse(audit.contains(secret), audit);
        }
        deleteProtected(user, id, "third-secret");
    }

    @Test
    void stopAndDeleteOfAProtectedWorkspaceNeedItsPasswordAndAStoppedOneGetsTheFile() throws IOException {
        TestUser user = Api.newUser("pro");
        String id = createProtected(user, "locked", "stop-secret");
        String container = "arcx-ws-" + id;
        String url = "/api/workspaces/" + id;

        as(user.token()).post(url + "/stop").then().statusCode(401).contentType("application/problem+json")
                .body("title", equalTo("Workspace password required"))
                .body("detail", containsString("X-Arcx-Workspace-Password"));
        as(user.token()).body(Map.of("password", "wrong-secret")).post(url + "/stop").then().statusCode(401)
                .body("title", equalTo("Wrong workspace password"));
        as(user.token()).header("X-Arcx-Workspace-Password", "wrong-secret").post(url + "/stop").then().statusCode(401);
        Api.get(user, id).body("status", equalTo("running"));
        as(user.token()).body(Map.of("password", "stop-secret")).post(url + "/stop").then().statusCode(202);
        awaitStatus(user, id, "stopped");

        // A stopped container gets the file through the archive API; the start reads it.
        password(user, id, Map.of("currentPassword", "stop-secret", "newPassword", "while-stopped")).statusCode(200)
                .body("status", equalTo("stopped"));
        assertIdeFile(stoppedFile(container), "while-stopped");
        as(user.token()).post(url + "/start").then().statusCode(202);
        awaitStatus(user, id, "running");
        assertIdeFile(runningFile(container), "while-stopped");

        as(user.token()).delete(url).then().statusCode(401).body("title", equalTo("Workspace password required"));
        as(user.token()).header("X-Arcx-Workspace-Password", "stop-secret").delete(url).then().statusCode(401)
                .body("title", equalTo("Wrong workspace password"));
        as(user.token()).body(Map.of("password", "stop-secret")).delete(url).then().statusCode(401);
        Api.get(user, id).body("status", equalTo("running"));
        as(user.token()).header("X-Arcx-Workspace-Password", "while-stopped").delete(url).then().statusCode(202);
        awaitGone(user, id);

        // Unprotected workspaces stop and delete as before, a password given or not.
        String open = Api.createWorkspace(user, "open", "starter", List.of());
        awaitStatus(user, open, "running");
        as(user.token()).body(Map.of("password", "ignored-here")).post("/api/workspaces/" + open + "/stop").then()
                .statusCode(202);
        Api.deleteWorkspace(user, open);
    }

    @Test
    void guessingIsLimitedPerWorkspaceAndOthersSeeNothing() {
        TestUser user = Api.newUser("pro");
        String id = createProtected(user, "guessed", "real-secret");
        String url = "/api/workspaces/" + id;

        // Someone else's workspace does not exist for them, password or not; nothing changes.
        TestUser stranger = Api.newUser("pro");
        password(stranger, id, Map.of("newPassword", "stolen-secret")).statusCode(404);
        password(stranger, id, Map.of("currentPassword", "real-secret", "removePassword", true)).statusCode(404);
        as(stranger.token()).body(Map.of("password", "real-secret")).post(url + "/stop").then().statusCode(404);
        as(stranger.token()).header("X-Arcx-Workspace-Password", "real-secret").delete(url).then().statusCode(404);
        Api.get(user, id).body("status", equalTo("running")).body("passwordProtected", equalTo(true));

        for (int attempt = 0; attempt < attempts.limit(); attempt++) {
            as(user.token()).body(Map.of("password", "guess-" + attempt)).post(url + "/stop").then().statusCode(401);
        }
        // Used up: even the right password waits now, with Retry-After.
        ValidatableResponse limited = as(user.token()).body(Map.of("password", "real-secret")).post(url + "/stop")
                .then().statusCode(429).contentType("application/problem+json");
        long retryAfter = Long.parseLong(limited.extract().header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= Duration.ofMinutes(15).toSeconds(), "Retry-After " + retryAfter);
        password(user, id, Map.of("currentPassword", "real-secret", "newPassword", "other-secret")).statusCode(429);
        as(user.token()).header("X-Arcx-Workspace-Password", "real-secret").delete(url).then().statusCode(429);
        Api.get(user, id).body("status", equalTo("running"));
        assertTrue(PasswordHashing.matches("real-secret", hashes(id).bcrypt()));

        // A missing password is no guess and is still told apart.
        as(user.token()).post(url + "/stop").then().statusCode(401);

        // The window slides: once the oldest attempts are out of it, checks are admitted again.
        UUID other = UUID.randomUUID();
        long now = 1_000_000_000L;
        for (int i = 0; i < attempts.limit(); i++) {
            assertEquals(0, attempts.admit(other, now + i * 1000L));
        }
        long window = Duration.ofMinutes(15).toMillis();
        assertEquals(window / 1000 - 5, attempts.admit(other, now + 5000));
        assertEquals(0, attempts.admit(other, now + window));
        attempts.forget(other);

        // A right password clears the count (here through the test's hold on the limiter, as a wait would).
        attempts.succeeded(UUID.fromString(id));
        as(user.token()).body(Map.of("password", "guess-again")).post(url + "/stop").then().statusCode(401);
        deleteProtected(user, id, "real-secret");
        as(user.token()).post(url + "/stop").then().statusCode(404);
    }

    @Test
    void aCloneKeepsItsSourcesPassword() {
        TestUser user = Api.newUser("pro");
        String source = createProtected(user, "cloned", "clone-secret");
        List<String> clones = as(user.token()).body(Map.of("count", 1)).post("/api/workspaces/" + source + "/clone")
                .then().statusCode(202).body("[0].passwordProtected", equalTo(true)).extract().jsonPath().getList("id");
        String clone = clones.get(0);
        awaitStatus(user, clone, "running");
        assertIdeFile(runningFile("arcx-ws-" + clone), "clone-secret");
        as(user.token()).post("/api/workspaces/" + clone + "/stop").then().statusCode(401);
        deleteProtected(user, clone, "clone-secret");
        deleteProtected(user, source, "clone-secret");
    }

    @Test
    void creationRefusesBadPasswordsAndCreatesNothing() {
        TestUser user = Api.newUser("pro");
        Map<String, Object> base = Map.of("name", "refused", "resourceTierId", "starter", "flavorId", "fullstack");
        for (Map<String, Object> extra : List.<Map<String, Object>>of(Map.of("passwordProtected", true),
                Map.of("passwordProtected", true, "password", "7-chars"),
                Map.of("passwordProtected", true, "password", "y".repeat(51)),
                Map.of("password", "no-flag-given"), Map.of("passwordProtected", false, "password", "contradicts"))) {
            Map<String, Object> request = new HashMap<>(base);
            request.putAll(extra);
            as(user.token()).body(request).post("/api/workspaces").then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString("password"));
        }
        assertEquals(List.of(), as(user.token()).get("/api/workspaces").then().extract().jsonPath().getList("id"));

        String id = Api.createWorkspace(user, "unguarded", "starter", List.of());
        Api.get(user, id).body("passwordProtected", equalTo(false));
        password(user, id, Map.of()).statusCode(400);
        password(user, id, Map.of("newPassword", "both-given1", "removePassword", true)).statusCode(400);
        password(user, id, Map.of("currentPassword", "whatever-1", "removePassword", true)).statusCode(409);
        password(user, id, Map.of("newPassword", "x", "unknownField", 1)).statusCode(400);
        as(user.token()).put("/api/workspaces/" + id + "/password").then().statusCode(400);
        Api.get(user, id).body("passwordProtected", equalTo(false));
        Api.deleteWorkspace(user, id);
    }

    private String createProtected(TestUser user, String name, String secret) {
        String id = as(user.token()).body(Map.of("name", name, "resourceTierId", "starter", "flavorId", "fullstack",
                "passwordProtected", true, "password", secret)).post("/api/workspaces").then().statusCode(201)
                .extract().path("id");
        awaitStatus(user, id, "running");
        return id;
    }

    private static void deleteProtected(TestUser user, String id, String secret) {
        as(user.token()).header("X-Arcx-Workspace-Password", secret).delete("/api/workspaces/" + id).then()
                .statusCode(202);
        awaitGone(user, id);
    }

    private static ValidatableResponse password(TestUser user, String id, Map<String, Object> body) {
        return as(user.token()).body(body).put("/api/workspaces/" + id + "/password").then();
    }

    private PasswordHashes hashes(String id) {
        return repository.passwordHashes(UUID.fromString(id)).await().indefinitely();
    }

    private static String startedAt(String container) {
        return docker().inspectContainerCmd(container).exec().getState().getStartedAt();
    }

    private static void awaitRestarted(TestUser user, String id, String container, String startedBefore) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                "running".equals(Api.get(user, id).extract().path("status"))
                        && !startedBefore.equals(startedAt(container)));
    }

    /** The file as the workspace user sees it, with its owner and mode: {@code uid:gid mode} then the content. */
    private static IdeFile runningFile(String container) {
        ExecResult stat = exec(container, "1000:1000", "stat", "-c", "%u:%g %a", AUTH_FILE);
        assertEquals(0, stat.exitCode(), stat.output());
        ExecResult dir = exec(container, "1000:1000", "stat", "-c", "%u:%g %a", HOME + "/.config/arcx");
        assertEquals("1000:1000 700", dir.output().strip());
        return new IdeFile(stat.output().strip(), exec(container, "1000:1000", "cat", AUTH_FILE).output());
    }

    /** The file read through the archive API, which works on a stopped container. */
    private static IdeFile stoppedFile(String container) throws IOException {
        assertFalse(docker().inspectContainerCmd(container).exec().getState().getRunning());
        try (InputStream archive = docker().copyArchiveFromContainerCmd(container, AUTH_FILE).exec();
                TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
            TarArchiveEntry entry = tar.getNextEntry();
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            tar.transferTo(content);
            return new IdeFile(entry.getLongUserId() + ":" + entry.getLongGroupId() + " "
                    + Integer.toOctalString(entry.getMode() & 0777), content.toString(StandardCharsets.UTF_8));
        }
    }

    private record IdeFile(String ownerAndMode, String content) {
    }

    private static void assertIdeFile(IdeFile file, String password) {
        assertEquals("1000:1000 600", file.ownerAndMode());
        assertFalse(file.content().contains(password), "never the password itself");
        assertTrue(settings(file).startsWith("CODE_SERVER_AUTH=password\nHASHED_PASSWORD=$argon2id$"), file.content());
        assertTrue(PasswordHashingTest.ArgonCheck.verifies(password, argon2Line(file)), "the hash is the password's");
    }

    /** The file without its comment line. */
    private static String settings(IdeFile file) {
        return file.content().lines().filter(line -> !line.startsWith("#")).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static String argon2Line(IdeFile file) {
        return file.content().lines().filter(line -> line.startsWith("HASHED_PASSWORD=")).findFirst().orElseThrow()
                .substring("HASHED_PASSWORD=".length());
    }

    /**
     * Runs the code-server add-on's start script in the workspace as its user, with a stand-in {@code code-server}
     * on PATH that prints its arguments and the password variables it was given.
     */
    private static ExecResult runStartScript(String container) {
        String script;
        try {
            script = Files.readString(SCRIPT);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String stand = "#!/bin/sh\necho \"args: $*\"\necho \"HASHED_PASSWORD=$HASHED_PASSWORD\"\n"
                + "echo \"PASSWORD-FROM-ENV=${PASSWORD:-}\"\n";
        ExecResult setUp = exec(container, "1000:1000", "sh", "-c", "mkdir -p " + HOME + "/fake-bin && cat > "
                + HOME + "/fake-bin/code-server <<'EOF'\n" + stand + "EOF\nchmod 755 " + HOME + "/fake-bin/code-server"
                + " && cat > " + HOME + "/code-server.sh <<'EOF'\n" + script + "EOF\n");
        assertEquals(0, setUp.exitCode(), setUp.output());
        return exec(container, "1000:1000", "sh", "-c", "PATH=" + HOME + "/fake-bin:$PATH PASSWORD=plain-from-env "
                + "CODE_SERVER_AUTH=none sh " + HOME + "/code-server.sh");
    }
}
