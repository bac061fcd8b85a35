package dev.arcx.orchestrator.routing;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.get;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.TestSessions;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.engine.TestEngine;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Path-based access in local mode (no domain, no Traefik): the orchestrator proxies {@code /@<login>/<workspace>/}
 * and forwarded ports to a real workspace container with forward-auth's checks, streams large bodies both ways,
 * tunnels WebSockets, and counts the traffic as activity. The workspace image serves HTTP on 8080 (the IDE, as
 * code-server is selected) and 5000, and a WebSocket echo on 3000.
 */
@QuarkusTest
@TestProfile(PathAccessTest.LocalMode.class)
@QuarkusTestResource(WorkspaceImageResource.class)
class PathAccessTest {
    private static final String HOME = "/home/developer/workspace";

    public static class LocalMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("arcx.images.flavor.fullstack", TestEngine.workspaceImageRunning("served",
                    "echo \"workspace $ARCX_WORKSPACE_NAME up\"; nc -ll -p 3000 -e ws-echo & "
                            + "httpd -f -p 5000 -h " + HOME + " & exec httpd -f -v -p 8080 -h " + HOME));
        }
    }

    private final List<TestUser> users = new ArrayList<>();

    @AfterEach
    void deleteWorkspaces() {
        users.forEach(Api::deleteAllWorkspaces);
    }

    @Test
    void theOwnerReachesTheIdeUnderItsPathAndOthersAreRefusedAsByForwardAuth() {
        TestUser owner = newUser();
        String id = createWorkspace(owner, "web", "starter", List.of("code-server"));
        awaitStatus(owner, id, "running");
        String container = "arcx-ws-" + id;
        write(container, "index.html", "hello from the workspace");
        write(container, "docs/page.html", "a page in a folder");
        String ide = "/@" + owner.login() + "/web";

        visit(owner).get(ide + "/").then().statusCode(200).body(equalTo("hello from the workspace"));
        // Logins match in any case, and an encoded '@' (as some clients send it) is the same address.
        visit(owner).get("/%40" + owner.login().toUpperCase() + "/web/docs/page.html").then().statusCode(200)
                .body(equalTo("a page in a folder"));
        // The closing slash the IDE's relative links need, query kept.
        visit(owner).redirects().follow(false).get(ide + "?folder=/x").then().statusCode(308)
                .header("Location", ide + "/?folder=/x");
        // The workspace's absolute redirects stay under the prefix (busybox httpd adds a directory's slash so).
        visit(owner).redirects().follow(false).get(ide + "/docs").then().statusCode(302)
                .header("Location", ide + "/docs/");
        // Dot segments are resolved before routing: they cannot climb out of one workspace into another address.
        visit(owner).get(ide + "/docs/../index.html").then().statusCode(200).body(equalTo("hello from the workspace"));

        TestUser stranger = newUser();
        // Another user's workspace answers as a missing one; anonymous visitors are asked to sign in for both.
        String missing = "/@" + owner.login() + "/missing/";
        visit(stranger).get(ide + "/").then().statusCode(404).contentType("application/problem+json");
        visit(stranger).get(missing).then().statusCode(404).contentType("application/problem+json");
        assertEquals(visit(stranger).get(missing).jsonPath().getString("detail"),
                visit(stranger).get(ide + "/").jsonPath().getString("detail"));
        anyone().get(ide + "/").then().statusCode(401).contentType("application/problem+json");
        anyone().get(missing).then().statusCode(401).contentType("application/problem+json");
        anyone().get("/@nobody-" + owner.login() + "/web/").then().statusCode(401);
        assertEquals(anyone().get(missing).jsonPath().getString("detail"),
                anyone().get(ide + "/").jsonPath().getString("detail"));
        // One rendering of errors: a browser gets the dashboard's error page (its security headers included), any
        // other client the API's problem+json.
        anyone().accept("text/html,application/xhtml+xml").get(ide + "/").then().statusCode(401)
                .contentType(containsString("text/html")).body(containsString("Sign in"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .body(containsString("sign in to reach this address"));
        anyone().get(ide + "/").then().statusCode(401).header("Cache-Control", "no-store")
                .body("title", equalTo("Unauthorized"));
        anyone().cookie(ForwardAuthResource.SESSION_COOKIE, "s1.forged.token").get(ide + "/").then().statusCode(401);
        visit(owner).get("/@" + owner.login() + "/other/").then().statusCode(404);
        visit(owner).get("/@" + stranger.login() + "/web/").then().statusCode(404);
        visit(owner).get("/@" + owner.login() + "/web/ports/9000/").then().statusCode(404);
        for (String garbage : List.of("/@/web/", "/@" + owner.login() + "/Web/", "/@" + owner.login() + "/we%20b/",
                "/@x--y/web/", ide + "/ports/0/", ide + "/ports/65536/", ide + "/ports/abc/", ide + "/ports/")) {
            visit(owner).get(garbage).then().statusCode(404);
        }

        // Path-based traffic has no URI tag per path in the HTTP metrics.
        anyone().get("/q/metrics").then().statusCode(200).body(not(containsString(owner.login())));

        as(owner.token()).post("/api/workspaces/" + id + "/stop").then().statusCode(202);
        awaitStatus(owner, id, "stopped");
        visit(owner).accept("text/html").get(ide + "/").then().statusCode(503)
                .contentType(containsString("text/html")).body(containsString("is stopped"));
        // Refusals come first: a stranger learns nothing about the workspace's state.
        visit(stranger).get(ide + "/").then().statusCode(404);
    }

    @Test
    void bodiesStreamBothWaysAndTheWorkspaceGetsTheProxyHeadersButNeverTheSession() throws Exception {
        TestUser owner = newUser();
        String id = createWorkspace(owner, "files", "starter", List.of("code-server"));
        awaitStatus(owner, id, "running");
        String container = "arcx-ws-" + id;
        String ide = "/@" + owner.login() + "/files";
        TestEngine.ExecResult made = TestEngine.exec(container, "1000:1000", "sh", "-c",
                "dd if=/dev/urandom of=big.bin bs=1M count=24 2>/dev/null && sha256sum big.bin");
        String bigSum = made.output().strip().split("\\s+")[0];
        byte[] downloaded = visit(owner).get(ide + "/big.bin").then().statusCode(200)
                .header("Content-Length", String.valueOf(24 << 20)).extract().asByteArray();
        assertEquals(bigSum, sha256(downloaded), "24 MiB through the proxy arrive whole");

        // busybox httpd runs CGI scripts: one hashes the request body, one prints what the workspace received.
        cgi(container, "sum", "printf 'Content-Type: text/plain\\r\\n\\r\\n'; head -c \"$CONTENT_LENGTH\" | sha256sum");
        cgi(container, "env", "printf 'Content-Type: text/plain\\r\\n'; "
                + "printf 'Set-Cookie: arc_session=stolen; Path=/\\r\\n'; "
                + "printf 'Set-Cookie: app=1; Path=/\\r\\n'; "
                + "printf 'Set-Cookie: deep=2; path=/a/b; HttpOnly\\r\\n\\r\\n'; env");
        byte[] upload = new byte[12 << 20];
        new Random(7).nextBytes(upload);
        // A browser's POST carries its Origin; without one, the CSRF guard refuses a cookie-authenticated change.
        String echoedSum = visit(owner).header("Origin", "http://" + authority()).body(upload)
                .contentType("application/octet-stream").post(ide + "/cgi-bin/sum").then().statusCode(200).extract().asString().strip().split("\\s+")[0];
        assertEquals(sha256(upload), echoedSum,
                "12 MiB uploaded through the proxy arrive whole: more than the API's body limit, nothing buffers them");

        var answer = anyone().cookie(ForwardAuthResource.SESSION_COOKIE, TestSessions.open(owner))
                .cookie("theme", "dark")
                .header(ForwardAuthResource.USER_HEADER, "someone-else").header("X-Forwarded-For", "203.0.113.9")
                .get(ide + "/cgi-bin/env?a=1").then().statusCode(200).extract();
        String env = answer.asString();
        assertTrue(env.contains("HTTP_X_ARCX_USER=" + owner.login() + "\n"), env);
        assertTrue(env.contains("HTTP_COOKIE=theme=dark\n"), "the session never reaches the workspace: " + env);
        assertTrue(env.contains("HTTP_X_FORWARDED_PREFIX=" + ide + "\n"), env);
        assertTrue(env.contains("HTTP_X_FORWARDED_PROTO=http\n"), env);
        assertTrue(env.contains("HTTP_X_FORWARDED_HOST=" + authority() + "\n"), env);
        // The tests trust X-Forwarded-For (arcx.audit.trust-proxy): the hop is appended to what came.
        assertTrue(env.contains("HTTP_X_FORWARDED_FOR=203.0.113.9, 127.0.0.1\n"), env);
        assertTrue(env.contains("HTTP_HOST=" + authority() + "\n"), "the visitor's Host: " + env);
        assertTrue(env.contains("QUERY_STRING=a=1\n") && env.contains("REQUEST_URI=/cgi-bin/env?a=1\n"),
                "the prefix is stripped: " + env);
        List<String> cookies = answer.headers().getValues("Set-Cookie");
        assertEquals(List.of("app=1; Path=" + ide + "/", "deep=2; path=" + ide + "/a/b; HttpOnly"), cookies,
                "no session cookie from a workspace, and its cookies stay under its prefix");
    }

    @Test
    void forwardedPortsHonourTheirShareAndTunnelWebSocketsWhoseFramesAreActivity() throws Exception {
        TestUser owner = newUser();
        String id = createWorkspace(owner, "app", "starter", List.of("code-server"));
        awaitStatus(owner, id, "running");
        write("arcx-ws-" + id, "index.html", "port five thousand");
        String ports = "/api/workspaces/" + id + "/ports/";
        String base = "/@" + owner.login() + "/app/ports/";
        as(owner.token()).body(Map.of("share", "public")).put(ports + "3000").then().statusCode(200)
                .body("url", equalTo(base + "3000/")).body("takesEffect", equalTo("at once"));
        as(owner.token()).body(Map.of("share", "authenticated")).put(ports + "5000").then().statusCode(200);
        as(owner.token()).body(Map.of("share", "owner")).put(ports + "8000").then().statusCode(200);
        TestUser stranger = newUser();

        visit(stranger).get(base + "5000/").then().statusCode(200).body(equalTo("port five thousand"));
        anyone().get(base + "5000/").then().statusCode(401);
        visit(stranger).get(base + "8000/").then().statusCode(404);
        // An unforwarded port tells nothing either: 404 to a stranger, sign-in to an anonymous visitor.
        visit(stranger).get(base + "9000/").then().statusCode(404);
        anyone().get(base + "9000/").then().statusCode(401);
        anyone().get(base + "8000/").then().statusCode(401);
        visit(owner).accept("text/html").get(base + "8000/").then().statusCode(502)
                .body(containsString("answers on port 8000"));
        visit(owner).get(base + "9000/").then().statusCode(404);
        visit(owner).redirects().follow(false).get(base + "5000").then().statusCode(308)
                .header("Location", base + "5000/");
        as(owner.token()).get(ports.substring(0, ports.length() - 1)).then().statusCode(200)
                .body("url", hasItems(base + "3000/", base + "5000/", base + "8000/"));

        // Anyone reaches the public port's WebSocket, and the echo proves frames pass both ways.
        OffsetDateTime before = lastActive(owner, id);
        try (Echo echo = Echo.open(base + "3000/socket", null)) {
            assertEquals("hello through the tunnel", echo.roundTrip("hello through the tunnel"));
            assertEquals("naïve ünïcode ✓", echo.roundTrip("naïve ünïcode ✓"));
            OffsetDateTime upgraded = lastActive(owner, id);
            assertTrue(upgraded.isAfter(before), "the upgrade is activity");
            // Frames alone, no new request, keep noting activity.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
                echo.roundTrip("still here");
                return lastActive(owner, id).isAfter(upgraded);
            });
        }
        // A signed-in stranger too. Once the share narrows, their open tunnel is closed and the next handshake is
        // refused (read per request); the owner's own tunnel stays.
        try (Echo strangers = Echo.open(base + "3000/", TestSessions.open(stranger));
                Echo owners = Echo.open(base + "3000/", TestSessions.open(owner))) {
            assertEquals("x", strangers.roundTrip("x"));
            as(owner.token()).body(Map.of("share", "owner")).put(ports + "3000").then().statusCode(200);
            strangers.awaitClosedByServer();
            assertEquals("still mine", owners.roundTrip("still mine"));
        }
        assertEquals(404, Echo.refusal(base + "3000/", TestSessions.open(stranger)));
        assertEquals(401, Echo.refusal(base + "3000/", null));
    }

    @Test
    void aMemberRemovedFromTheTeamLosesTheWebSocketsTheyHadOpen() throws Exception {
        TestUser owner = newUser();
        TestUser member = newUser();
        String team = Api.createTeam(owner, "Sockets " + owner.login());
        Api.joinTeam(team, owner, member);
        String id = Api.createWorkspace(owner, "shared", "starter", List.of("code-server"), team);
        awaitStatus(owner, id, "running");
        as(owner.token()).body(Map.of("share", "owner")).put("/api/workspaces/" + id + "/ports/3000").then()
                .statusCode(200);
        String socket = "/@" + owner.login() + "/shared/ports/3000/";
        try (Echo members = Echo.open(socket, TestSessions.open(member));
                Echo owners = Echo.open(socket, TestSessions.open(owner))) {
            assertEquals("team", members.roundTrip("team"));
            as(owner.token()).delete("/api/teams/" + team + "/members/" + member.id()).then().statusCode(204);
            members.awaitClosedByServer();
            assertEquals("owner stays", owners.roundTrip("owner stays"));
        }
        assertEquals(404, Echo.refusal(socket, TestSessions.open(member)));
    }

    private TestUser newUser() {
        TestUser user = Api.newUser("pro");
        users.add(user);
        return user;
    }

    private static RequestSpecification visit(TestUser user) {
        return anyone().cookie(ForwardAuthResource.SESSION_COOKIE, TestSessions.open(user));
    }

    /** A request sent as a browser sends it: RestAssured would percent-encode the '@'. */
    private static RequestSpecification anyone() {
        return given().urlEncodingEnabled(false);
    }

    /** Where the tests reach the orchestrator, as the Host header names it. */
    private static String authority() {
        return URI.create(RestAssured.baseURI).getHost() + ":" + RestAssured.port;
    }

    private static OffsetDateTime lastActive(TestUser owner, String id) {
        return OffsetDateTime.parse(get(owner, id).extract().path("lastActiveAt"));
    }

    /** Writes a file under the workspace folder (which busybox httpd serves) as the workspace's user. */
    private static void write(String container, String path, String content) {
        assertEquals(0, TestEngine.exec(container, "1000:1000", "sh", "-c", "mkdir -p \"$(dirname " + path
                + ")\" && printf '%s' \"$1\" > " + path, "sh", content).exitCode());
    }

    private static void cgi(String container, String name, String script) {
        assertEquals(0, TestEngine.exec(container, "1000:1000", "sh", "-c", "mkdir -p cgi-bin && printf '%s\\n' "
                + "'#!/bin/sh' \"$1\" > cgi-bin/" + name + " && chmod 755 cgi-bin/" + name, "sh", script).exitCode());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A WebSocket client through the proxy that collects the text messages it receives. */
    private record Echo(WebSocket socket, LinkedBlockingQueue<String> received, CompletableFuture<Void> ended)
            implements AutoCloseable {
        static Echo open(String path, String session) throws Exception {
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            CompletableFuture<Void> ended = new CompletableFuture<>();
            WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(10));
            if (session != null) {
                builder.header("Cookie", ForwardAuthResource.SESSION_COOKIE + "=" + session);
            }
            WebSocket socket = builder.buildAsync(URI.create("ws://" + authority() + path),
                    new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                received.add(text.toString());
                                text.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                            ended.complete(null);
                            return null;
                        }

                        @Override
                        public void onError(WebSocket ws, Throwable error) {
                            // The proxy closes the TCP connection without a close frame: that is an end too.
                            ended.complete(null);
                        }
                    }).get(20, TimeUnit.SECONDS);
            return new Echo(socket, received, ended);
        }

        /** The proxy ended the connection (within seconds, not at some later handshake). */
        void awaitClosedByServer() throws Exception {
            ended.get(10, TimeUnit.SECONDS);
        }

        /** The status of the refused handshake. */
        static int refusal(String path, String session) throws Exception {
            try (Echo unexpected = open(path, session)) {
                throw new AssertionError("the WebSocket was let through: " + unexpected);
            } catch (java.util.concurrent.ExecutionException refused) {
                if (refused.getCause() instanceof java.net.http.WebSocketHandshakeException handshake) {
                    return handshake.getResponse().statusCode();
                }
                throw refused;
            }
        }

        String roundTrip(String message) throws Exception {
            socket.sendText(message, true).get(10, TimeUnit.SECONDS);
            String answer = received.poll(10, TimeUnit.SECONDS);
            assertTrue(answer != null, "no echo of " + message);
            return answer;
        }

        @Override
        public void close() throws Exception {
            if (ended.isDone()) {
                socket.abort();
                return;
            }
            CompletableFuture<WebSocket> closed = socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            closed.get(10, TimeUnit.SECONDS);
        }
    }
}
