package dev.arcx.orchestrator.routing;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static dev.arcx.testkit.engine.TestEngine.docker;
import static dev.arcx.testkit.engine.TestEngine.probe;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.common.tokens.SessionTokens;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.TestSessions;
import dev.arcx.orchestrator.testsupport.TraefikConfig;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Edge routing with routing on: the Traefik labels as the engine stores them on real workspace containers, the
 * forwarded-port API, forward-auth's decisions, hostile names, and isolation across the shared edge network.
 */
@QuarkusTest
@TestProfile(EdgeRoutingTest.RoutingOn.class)
@QuarkusTestResource(WorkspaceImageResource.class)
class EdgeRoutingTest {
    static final String DOMAIN = "arcx.test";
    /** The only shape a rule may have: one lower-case DNS label under the domain, nothing else inside Host(). */
    private static final Pattern SAFE_RULE = Pattern.compile("Host\\(`[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.arcx\\.test`\\)");

    public static class RoutingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The test installation's own edge network, removed after the tests.
            return Map.of("arcx.routing.domain", DOMAIN, "arcx.routing.network", "${arcx.installation}-edge");
        }
    }

    /** Users of the running test: their workspaces are deleted afterwards, passed or failed. */
    private final List<TestUser> users = new ArrayList<>();

    @AfterEach
    void deleteWorkspaces() {
        users.forEach(Api::deleteAllWorkspaces);
    }

    @AfterAll
    static void removeEdgeNetwork() {
        try {
            docker().removeNetworkCmd(network()).exec();
        } catch (NotFoundException gone) {
            // Never created or removed already.
        }
    }

    @Test
    void labelsRouteTheIdeAndForwardedPortsAndChangesApplyAtTheNextStart() {
        TestUser owner = newUser("pro");
        String id = createWorkspace(owner, "web", "starter", List.of("gui"));
        awaitStatus(owner, id, "running");
        String container = "arcx-ws-" + id;
        String firstContainerId = docker().inspectContainerCmd(container).exec().getId();
        Map<String, String> labels = labels(container);
        String ide = "traefik.http.routers.arcx-" + id + "-ide";
        assertEquals("true", labels.get("traefik.enable"));
        assertEquals("Host(`web--" + owner.login() + "." + DOMAIN + "`)", labels.get(ide + ".rule"));
        assertEquals("4096", labels.get("traefik.http.services.arcx-" + id + "-ide.loadbalancer.server.port"),
                "without code-server the IDE route goes to OpenCode");
        assertFalse(labels.keySet().stream().anyMatch(k -> k.contains("-p6080")), "nothing forwarded yet");

        String ports = "/api/workspaces/" + id + "/ports";
        as(owner.token()).body(Map.of("share", "public")).put(ports + "/6080").then().statusCode(200)
                .body("port", equalTo(6080)).body("share", equalTo("public"))
                .body("url", equalTo("https://6080--web--" + owner.login() + "." + DOMAIN))
                .body("takesEffect", containsString("next start or restart"));
        as(owner.token()).body(Map.of("share", "authenticated")).put(ports + "/3000").then().statusCode(200);
        as(owner.token()).body(Map.of()).put(ports + "/5000").then().statusCode(200).body("share", equalTo("owner"));
        as(owner.token()).body(Map.of("share", "owner")).put(ports + "/4096").then().statusCode(400)
                .body("detail", containsString("cannot be forwarded"));
        as(owner.token()).body(Map.of("share", "owner")).put(ports + "/22").then().statusCode(400);
        as(owner.token()).body(Map.of("share", "everyone")).put(ports + "/3000").then().statusCode(400);
        as(owner.token()).get(ports).then().statusCode(200).body("port", equalTo(List.of(3000, 5000, 6080)));
        as(owner.token()).delete(ports + "/5000").then().statusCode(204);
        as(owner.token()).delete(ports + "/5000").then().statusCode(404);

        TestUser stranger = newUser("free");
        as(stranger.token()).get(ports).then().statusCode(404);
        as(stranger.token()).body(Map.of("share", "public")).put(ports + "/3000").then().statusCode(404);
        as(stranger.token()).delete(ports + "/3000").then().statusCode(404);
        assertEquals(labels, labels(container), "the running container keeps its routes until it is recreated");

        as(owner.token()).post("/api/workspaces/" + id + "/restart").then().statusCode(202);
        awaitStatus(owner, id, "running");
        assertNotEquals(firstContainerId, docker().inspectContainerCmd(container).exec().getId(), "recreated");
        Map<String, String> routed = labels(container);
        for (int port : List.of(3000, 6080)) {
            String router = "arcx-" + id + "-p" + port;
            assertEquals("Host(`" + port + "--web--" + owner.login() + "." + DOMAIN + "`)",
                    routed.get("traefik.http.routers." + router + ".rule"));
            assertEquals(Integer.toString(port), routed.get("traefik.http.services." + router + ".loadbalancer.server.port"));
        }
        assertFalse(routed.keySet().stream().anyMatch(k -> k.contains("-p5000")), "unshared port has no route");
        assertSafeRules(routed);
        TraefikConfig.assertRoutesResolve(routed, network());

        var edge = docker().inspectNetworkCmd().withNetworkId(network()).exec();
        assertTrue(docker().inspectContainerCmd(container).exec().getNetworkSettings().getNetworks()
                .containsKey(network()), "the workspace joined the edge network");
        assertTrue(edge.getInternal(), "the edge network gives no way off the host");
        assertEquals("false", edge.getOptions().get("com.docker.network.bridge.enable_icc"));
        assertTrue(edge.getOptions().get("com.docker.network.bridge.name").startsWith("arcxw"),
                "the host firewall guard covers the edge bridge");

        forwardAuthDecides(owner, stranger);
    }

    /** The workspace "web" of {@code owner}: IDE owner-only, 3000 authenticated, 6080 public, 5000 not forwarded. */
    private void forwardAuthDecides(TestUser owner, TestUser stranger) {
        String ideHost = "web--" + owner.login() + "." + DOMAIN;
        forward(ideHost, TestSessions.open(owner)).statusCode(200)
                .header(ForwardAuthResource.USER_HEADER, owner.login());
        forward(ideHost.toUpperCase() + ":443", TestSessions.open(owner)).statusCode(200);
        // Not theirs answers as missing does; anonymous callers are sent to sign in for missing hosts too.
        forward(ideHost, TestSessions.open(stranger)).statusCode(404)
                .header(ForwardAuthResource.USER_HEADER, nullValue());
        forward("other--" + owner.login() + "." + DOMAIN, TestSessions.open(stranger)).statusCode(404);
        forward("other--" + owner.login() + "." + DOMAIN, null).statusCode(401);
        forward("5000--" + ideHost, null).statusCode(401);
        forward(ideHost, null).statusCode(401);
        forward(ideHost, forged(owner)).statusCode(401);
        forward(ideHost, expired(owner)).statusCode(401);
        forward(ideHost, "s1.%%%.$$$").statusCode(401);
        forward(ideHost, TestSessions.open(new TestUser(UUID.randomUUID(), "ghost", null))).statusCode(401);
        given().header("X-Forwarded-Host", ideHost).header("Authorization", "Bearer nonsense")
                .cookie(ForwardAuthResource.SESSION_COOKIE, TestSessions.open(owner)).get("/api/auth/forward").then()
                .statusCode(200);

        String authenticated = "3000--" + ideHost;
        forward(authenticated, TestSessions.open(stranger)).statusCode(200)
                .header(ForwardAuthResource.USER_HEADER, stranger.login());
        forward(authenticated, null).statusCode(401);

        String open = "6080--" + ideHost;
        forward(open, null).statusCode(200).header(ForwardAuthResource.USER_HEADER, nullValue());
        forward(open, forged(owner)).statusCode(200).header(ForwardAuthResource.USER_HEADER, nullValue());
        forward(open, TestSessions.open(stranger)).statusCode(200)
                .header(ForwardAuthResource.USER_HEADER, stranger.login());

        forward("5000--" + ideHost, TestSessions.open(owner)).statusCode(404);
        forward("other--" + owner.login() + "." + DOMAIN, TestSessions.open(owner)).statusCode(404);
        forward("web--" + stranger.login() + "." + DOMAIN, TestSessions.open(owner)).statusCode(404);
        forward("web--" + owner.login() + ".example.com", TestSessions.open(owner)).statusCode(404);
        given().get("/api/auth/forward").then().statusCode(404);
        // The workspace gets the visitor's other cookies, never the session.
        given().header("X-Forwarded-Host", open)
                .header("Cookie", "a=1; arc_session=" + TestSessions.open(owner) + "; b=2")
                .get("/api/auth/forward").then().statusCode(200).header("Cookie", "a=1; b=2")
                .header(ForwardAuthResource.USER_HEADER, owner.login());
        given().header("X-Forwarded-Host", open).header("Cookie", "arc_session=" + TestSessions.open(owner))
                .get("/api/auth/forward").then().statusCode(200).header("Cookie", nullValue());
        // Malformed cookie headers: a decision either way, never a server error.
        for (String cookies : List.of("arc_session=\"unterminated", "arc_session", ";;;=;",
                "arc_session=" + "A".repeat(4000), "arc_session=x; arc_session=" + TestSessions.open(owner))) {
            given().header("X-Forwarded-Host", ideHost).header("Cookie", cookies).get("/api/auth/forward").then()
                    .statusCode(anyOf(equalTo(200), equalTo(401)));
        }
        for (String garbage : List.of("", " ", "." + DOMAIN, "--." + DOMAIN, "web--." + DOMAIN, "99999--" + ideHost,
                "0--" + ideHost, "a.b--c." + DOMAIN, "web--" + owner.login() + "`) || Host(`x." + DOMAIN,
                "w\u00e9b--x." + DOMAIN, "x".repeat(5000) + "." + DOMAIN, "web--x." + DOMAIN + ":notaport", "%00")) {
            forward(garbage, TestSessions.open(owner)).statusCode(404);
        }
    }

    /**
     * A team's workspace: its host names are its owner's, forward-auth lets every member through to the IDE and to
     * owner-shared ports, refuses strangers, and refuses a removed member at once.
     */
    @Test
    void forwardAuthLetsTheTeamInAndNoOneElse() {
        TestUser owner = newUser("pro");
        TestUser member = newUser("free");
        TestUser stranger = newUser("free");
        String team = Api.createTeam(owner, "edge team");
        Api.joinTeam(team, owner, member);
        String id = createWorkspace(member, "team-web", "starter", List.of(), team);
        String ideHost = "team-web--" + member.login() + "." + DOMAIN;
        as(owner.token()).body(Map.of("share", "owner")).put("/api/workspaces/" + id + "/ports/5000").then()
                .statusCode(200).body("url", equalTo("https://5000--" + ideHost));
        for (String host : List.of(ideHost, "5000--" + ideHost)) {
            forward(host, TestSessions.open(owner)).statusCode(200)
                    .header(ForwardAuthResource.USER_HEADER, owner.login());
            forward(host, TestSessions.open(member)).statusCode(200)
                    .header(ForwardAuthResource.USER_HEADER, member.login());
            forward(host, TestSessions.open(stranger)).statusCode(404);
        }
        forward("team-web--" + owner.login() + "." + DOMAIN, TestSessions.open(owner)).statusCode(404);

        as(owner.token()).delete("/api/teams/" + team + "/members/" + member.id()).then().statusCode(204);
        forward(ideHost, TestSessions.open(member)).statusCode(404);
        forward(ideHost, TestSessions.open(owner)).statusCode(200);
    }

    @Test
    void hostileNamesAreRefusedAndNeverReachARule() {
        TestUser user = newUser("pro");
        for (String name : List.of("a`) || Host(`evil", "a`", "x||y", "Host(", "dot.ted", "UPPER", "ünï", "a--b",
                "x".repeat(64), "with space", "tab\t", "new\nline", "")) {
            as(user.token()).body(Map.of("name", name)).post("/api/workspaces").then().statusCode(400);
        }
        for (String login : List.of("a`b", "x||y", "Host(", "dot.ted", "ünï", "a--b", "x".repeat(64), "-lead")) {
            admin().body(Map.of("login", login, "plan", "pro")).post("/api/admin/users").then().statusCode(400);
        }

        // The longest names that still make DNS labels: a 39-character login (upper-case, as GitHub allows) leaves
        // 15 characters for the name; one more is refused with the reason.
        String login = ("Max" + UUID.randomUUID() + UUID.randomUUID()).replace("-", "").substring(0, 39);
        TestUser longest = newUser(login, "pro");
        as(longest.token()).body(Map.of("name", "n".repeat(16))).post("/api/workspaces").then().statusCode(400)
                .body("detail", containsString("at most 15 characters"));
        String id = createWorkspace(longest, "n".repeat(15), "starter", List.of("code-server"));
        awaitStatus(longest, id, "running");
        as(longest.token()).body(Map.of("share", "public")).put("/api/workspaces/" + id + "/ports/9000")
                .then().statusCode(200).body("url", equalTo("https://9000--" + "n".repeat(15) + "--"
                        + login.toLowerCase() + "." + DOMAIN));
        as(longest.token()).body(Map.of("share", "public")).put("/api/workspaces/" + id + "/ports/8080")
                .then().statusCode(400).body("detail", containsString("IDE"));
        Map<String, String> labels = labels("arcx-ws-" + id);
        assertEquals("8080", labels.get("traefik.http.services.arcx-" + id + "-ide.loadbalancer.server.port"),
                "with code-server the IDE route goes to it");
        assertSafeRules(labels);
        TraefikConfig.assertRoutesResolve(labels, network());
        forward(labels.get("traefik.http.routers.arcx-" + id + "-ide.rule").replaceAll("Host\\(`|`\\)", ""),
                TestSessions.open(longest)).statusCode(200).header(ForwardAuthResource.USER_HEADER, login);
    }

    /** Two workspaces on the shared edge network reach each other no more than across their own networks. */
    @Test
    void theEdgeNetworkCarriesNoTrafficBetweenWorkspaces() throws Exception {
        TestUser user = newUser("pro");
        String a = createWorkspace(user, "edge-a", "starter", List.of());
        String b = createWorkspace(user, "edge-b", "starter", List.of());
        awaitStatus(user, a, "running");
        awaitStatus(user, b, "running");
        String edgeIpB = docker().inspectContainerCmd("arcx-ws-" + b).exec().getNetworkSettings().getNetworks()
                .get(network()).getIpAddress();
        // Control: the host (where Traefik runs, on the host's network) reaches B over the edge network.
        try (Socket control = new Socket()) {
            control.connect(new InetSocketAddress(edgeIpB, 8080), 2000);
        }
        assertEquals(0, probe("arcx-ws-" + a, "127.0.0.1", 8080).exitCode(), "the probe works");
        assertNotEquals(0, probe("arcx-ws-" + a, edgeIpB, 8080).exitCode(), "A must not reach B over the edge");
    }

    private TestUser newUser(String plan) {
        return newUser(null, plan);
    }

    private TestUser newUser(String login, String plan) {
        TestUser user = login == null ? Api.newUser(plan) : Api.newUser(login, plan);
        users.add(user);
        return user;
    }

    private static void assertSafeRules(Map<String, String> labels) {
        labels.forEach((key, value) -> {
            if (key.endsWith(".rule")) {
                assertTrue(SAFE_RULE.matcher(value).matches(), key + "=" + value);
                assertTrue(value.length() - "Host(``)".length() - DOMAIN.length() - 1 <= 63, value);
            }
        });
    }

    private static ValidatableResponse forward(String host, String session) {
        RequestSpecification request = given().header("X-Forwarded-Host", host).header("X-Forwarded-Method", "GET")
                .header("X-Forwarded-Uri", "/some/path?q=1");
        if (session != null) {
            request.cookie(ForwardAuthResource.SESSION_COOKIE, session);
        }
        return request.get("/api/auth/forward").then();
    }

    private static String expired(TestUser user) {
        Instant then = Instant.now().minus(Duration.ofHours(2));
        return TestSessions.open(user.id(), user.login(), then, then.plus(Duration.ofHours(1)));
    }

    private static String forged(TestUser user) {
        Instant now = Instant.now();
        return new SessionTokens("another-secret-0123456789abcdef0123456789").sign(
                new SessionClaims(UUID.randomUUID(), user.id(), user.login(), now, now.plus(Duration.ofHours(1))));
    }

    private static Map<String, String> labels(String container) {
        return docker().inspectContainerCmd(container).exec().getConfig().getLabels();
    }

    private static String network() {
        return ConfigProvider.getConfig().getValue("arcx.routing.network", String.class);
    }
}
