package dev.arcx.orchestrator.login;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.FakeGitHubResource;
import dev.arcx.orchestrator.testsupport.SignInClient;
import dev.arcx.orchestrator.testsupport.SignInClient.Hop;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.callers.TestTokens;
import dev.arcx.testkit.fakes.FakeGitHub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * GitHub sign-in end to end: quarkus-oidc's real code flow against the fake GitHub, through a browser that follows
 * redirects and keeps cookies; then the session cookie against the API (CSRF included) and logout. The test
 * application runs in invite mode, the production default.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
@QuarkusTestResource(FakeGitHubResource.class)
class GitHubLoginTest {
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @ConfigProperty(name = "arcx.auth.login-attempts-per-minute")
    int perAddress;

    @TestHTTPResource("/")
    URI app;

    @Inject
    Pool pool;

    @Test
    void aNewUserWithAnInviteSignsInThroughGitHubAndIsCreatedFromTheProfile() {
        FakeGitHub github = FakeGitHubResource.github();
        FakeGitHub.Account account = github.newAccount(login("octo"), "Octo Cat");
        String invite = admin().body(Map.of("maxUses", 1)).post("/api/admin/invites").then().statusCode(201)
                .extract().path("code");
        SignInClient browser = browserOf(account);
        int exchanges = github.exchanges();

        List<Hop> hops = browser.open("/auth/github?invite=" + invite);

        assertEquals(List.of("/auth/github", "/auth/callback", "/login/oauth/authorize", "/auth/callback"),
                hops.stream().map(Hop::path).toList(), hops.toString());
        assertEquals(302, hops.getLast().status());
        assertEquals("/dashboard", URI.create(hops.getLast().location()).getPath());
        assertEquals(exchanges + 1, github.exchanges());
        String session = browser.cookie(SessionCookies.SESSION);
        assertNotNull(session);
        assertEquals(SessionCookies.csrfToken(session), browser.cookie(SessionCookies.CSRF));
        // Neither quarkus-oidc's own session nor the invite outlives the sign-in.
        assertFalse(browser.cookieNames().stream().anyMatch(name -> name.startsWith("q_session")),
                browser.cookieNames().toString());
        assertNull(browser.cookie(SessionCookieWriter.INVITE));

        Row user = userRow(account.id());
        assertEquals(account.login(), user.getString("login"));
        assertEquals("Octo Cat", user.getString("name"));
        assertEquals(account.avatarUrl(), user.getString("avatar_url"));
        assertEquals(account.primaryEmail(), user.getString("email"), "the primary verified address");
        assertEquals("free", user.getString("plan_id"));
        admin().get("/api/admin/invites").then().body("find { it.code == '" + invite + "' }.uses", equalTo(1))
                .body("find { it.code == '" + invite + "' }.status", equalTo("used-up"));

        // The cookie is a session in the API: the same identity as its token would be.
        HttpResponse<String> me = browser.request("GET", "/api/session", Map.of());
        assertEquals(200, me.statusCode());
        JsonPath view = new JsonPath(me.body());
        assertTrue(view.getBoolean("authenticated"));
        assertEquals(account.login(), view.getString("user.login"));
        assertEquals(account.primaryEmail(), view.getString("user.email"));
        assertEquals("user", view.getString("role"));
        assertEquals(SessionCookies.csrfToken(session), view.getString("csrfToken"));
        assertFalse(view.getBoolean("devLogin"));
        assertTrue(view.getBoolean("githubLogin"));
        assertEquals("invite", view.getString("signupMode"));
        assertEquals(200, browser.request("GET", "/api/workspaces", Map.of()).statusCode());

        String id = user.getUUID("id").toString();
        admin().queryParam("targetId", id).get("/api/admin/audit").then().statusCode(200)
                .body("entries.action", hasItem("auth.login")).body("entries.action", hasItem("user.signup"));
    }

    @Test
    void aSecondSignInFollowsARenameOnGitHubAndRotatesTheCookie() {
        FakeGitHub github = FakeGitHubResource.github();
        FakeGitHub.Account account = github.newAccount(login("renamer"), "Before");
        SignInClient browser = browserOf(account);
        browser.open("/auth/github?invite=" + invite());
        String first = browser.cookie(SessionCookies.SESSION);
        String id = userRow(account.id()).getUUID("id").toString();

        FakeGitHub.Account renamed = account.renamed(login("renamed"), "After");
        github.update(renamed);
        List<Hop> hops = browser.open("/auth/github");

        assertEquals("/dashboard", URI.create(hops.getLast().location()).getPath(), "no invite needed any more");
        String second = browser.cookie(SessionCookies.SESSION);
        assertNotEquals(first, second);
        Row user = userRow(account.id());
        assertEquals(id, user.getUUID("id").toString());
        assertEquals(renamed.login(), user.getString("login"));
        assertEquals("After", user.getString("name"));
        assertEquals(renamed.avatarUrl(), user.getString("avatar_url"));
        // The session the browser held before the second sign-in is over.
        given().cookie(SessionCookies.SESSION, first).get("/api/workspaces").then().statusCode(401);
        given().cookie(SessionCookies.SESSION, second).get("/api/workspaces").then().statusCode(200);
    }

    @Test
    void logoutEndsTheSessionAndClearsTheCookies() {
        SignInClient browser = browserOf(FakeGitHubResource.github().newAccount(login("leaver"), null));
        browser.open("/auth/github?invite=" + invite());
        String session = browser.cookie(SessionCookies.SESSION);

        // A cookie-authenticated POST without the CSRF token (nor a same-origin page) changes nothing.
        assertEquals(403, browser.request("POST", "/auth/logout", Map.of()).statusCode());
        assertEquals(403, browser.request("POST", "/auth/logout", Map.of("Origin", "https://evil.example"))
                .statusCode());
        given().cookie(SessionCookies.SESSION, session).get("/api/workspaces").then().statusCode(200);

        HttpResponse<String> out = browser.request("POST", "/auth/logout",
                Map.of(SessionCookies.CSRF_HEADER, browser.cookie(SessionCookies.CSRF)));
        assertEquals(204, out.statusCode());
        assertNull(browser.cookie(SessionCookies.SESSION));
        assertNull(browser.cookie(SessionCookies.CSRF));
        given().cookie(SessionCookies.SESSION, session).get("/api/workspaces").then().statusCode(401);
        given().cookie(SessionCookies.SESSION, session).get("/api/session").then().statusCode(200)
                .body("authenticated", equalTo(false));
    }

    @Test
    void logoutEverywhereEndsEverySessionOfTheUser() {
        FakeGitHub.Account account = FakeGitHubResource.github().newAccount(login("everywhere"), null);
        SignInClient laptop = browserOf(account);
        laptop.open("/auth/github?invite=" + invite());
        SignInClient phone = browserOf(account);
        phone.open("/auth/github");
        String phoneSession = phone.cookie(SessionCookies.SESSION);
        given().cookie(SessionCookies.SESSION, phoneSession).get("/api/workspaces").then().statusCode(200);

        // A same-origin form post (no token header) is let through by its Origin.
        HttpResponse<String> out = laptop.request("POST", "/auth/logout?everywhere=true",
                Map.of("Origin", app.toString().replaceAll("/$", ""), "Accept", "text/html"));
        assertEquals(303, out.statusCode());
        given().cookie(SessionCookies.SESSION, phoneSession).get("/api/workspaces").then().statusCode(401);
    }

    @Test
    void tamperedAndForeignCookiesAreRefused() {
        SignInClient browser = browserOf(FakeGitHubResource.github().newAccount(login("tamper"), null));
        browser.open("/auth/github?invite=" + invite());
        String session = browser.cookie(SessionCookies.SESSION);
        String tampered = session.substring(0, session.length() - 3) + (session.endsWith("AAA") ? "BBB" : "AAA");
        given().cookie(SessionCookies.SESSION, tampered).get("/api/workspaces").then().statusCode(401);
        // The cookie carries sessions only: neither the admin token nor an API token works there.
        given().cookie(SessionCookies.SESSION, TestTokens.ADMIN_TOKEN).get("/api/admin/audit").then().statusCode(401);
        given().cookie(SessionCookies.SESSION, Api.newUser("free").token()).get("/api/workspaces").then()
                .statusCode(401);
        // A stale cookie leaves public answers alone.
        given().cookie(SessionCookies.SESSION, tampered).get("/api/session").then().statusCode(200)
                .body("authenticated", equalTo(false));
    }

    @Test
    void cookieStateChangesNeedTheCsrfTokenOrASameOriginPageWhileBearerCallsDoNot() {
        SignInClient browser = browserOf(FakeGitHubResource.github().newAccount(login("csrf"), null));
        browser.open("/auth/github?invite=" + invite());
        String session = browser.cookie(SessionCookies.SESSION);
        String csrf = browser.cookie(SessionCookies.CSRF);
        String origin = app.toString().replaceAll("/$", "");

        given().cookie(SessionCookies.SESSION, session).contentType("application/json").body("{}")
                .post("/api/workspaces").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString(SessionCookies.CSRF_HEADER));
        given().cookie(SessionCookies.SESSION, session).header(SessionCookies.CSRF_HEADER, "wrong")
                .contentType("application/json").body("{}").post("/api/workspaces").then().statusCode(403);
        given().cookie(SessionCookies.SESSION, session).header("Origin", "https://app--csrf.arcx.run")
                .contentType("application/json").body("{}").post("/api/workspaces").then().statusCode(403);
        given().cookie(SessionCookies.SESSION, session).cookie(SessionCookies.CSRF, "planted")
                .header(SessionCookies.CSRF_HEADER, "planted").contentType("application/json").body("{}")
                .post("/api/workspaces").then().statusCode(403);
        // Let through (to the validation of the empty body) with the token, or from a page of this origin.
        given().cookie(SessionCookies.SESSION, session).header(SessionCookies.CSRF_HEADER, csrf)
                .contentType("application/json").body("{}").post("/api/workspaces").then().statusCode(400);
        given().cookie(SessionCookies.SESSION, session).header("Origin", origin)
                .contentType("application/json").body("{}").post("/api/workspaces").then().statusCode(400);
        given().cookie(SessionCookies.SESSION, session).header("Referer", origin + "/dashboard")
                .contentType("application/json").body("{}").post("/api/workspaces").then().statusCode(400);
        // Bearer calls are not cookie calls, even with a cookie along.
        Api.TestUser user = Api.newUser("free");
        Api.as(user.token()).cookie(SessionCookies.SESSION, session).body("{}").post("/api/workspaces").then()
                .statusCode(400);
        Api.as(user.token()).body("{}").post("/api/workspaces").then().statusCode(400);
    }

    @Test
    void aCodeGitHubDidNotIssueOrAStateThisBrowserDidNotStartSignsNobodyIn() {
        FakeGitHub.Account account = FakeGitHubResource.github().newAccount(login("forger"), null);
        SignInClient browser = browserOf(account);
        HttpResponse<String> challenge = browser.request("GET", "/auth/callback", Map.of());
        assertEquals(302, challenge.statusCode());
        URI authorize = URI.create(challenge.headers().firstValue("Location").orElseThrow());
        assertTrue(authorize.toString().startsWith(FakeGitHubResource.github().url() + "/login/oauth/authorize?"),
                authorize.toString());
        String state = query(authorize, "state");
        assertTrue(query(authorize, "scope").contains("user:email"));

        assertEquals(401, browser.request("GET", "/auth/callback?code=not-issued&state=" + state, Map.of())
                .statusCode());
        assertNull(browser.cookie(SessionCookies.SESSION));
        // Another browser, sent a code and state of a flow it did not start (login CSRF): quarkus-oidc ignores them
        // and starts the browser's own flow at GitHub; nobody is signed in.
        SignInClient victim = browserOf(account);
        HttpResponse<String> lured = victim.request("GET", "/auth/callback?code=abc&state=" + state, Map.of());
        assertEquals(302, lured.statusCode());
        assertTrue(lured.headers().firstValue("Location").orElseThrow()
                .startsWith(FakeGitHubResource.github().url() + "/login/oauth/authorize?"));
        assertNull(victim.cookie(SessionCookies.SESSION));
        assertEquals(0, pool.preparedQuery("SELECT 1 FROM users WHERE github_id = $1")
                .executeAndAwait(Tuple.of(account.id())).size());
    }

    @Test
    void signInAttemptsAreLimitedPerClientAddress() {
        String address = "198.51.100." + ADDRESSES.incrementAndGet();
        for (int i = 0; i < perAddress; i++) {
            given().redirects().follow(false).header("X-Forwarded-For", address).get("/auth/github").then()
                    .statusCode(302);
        }
        given().redirects().follow(false).header("X-Forwarded-For", address).get("/auth/github").then()
                .statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .contentType("application/problem+json");
        given().redirects().follow(false).header("X-Forwarded-For", address).get("/auth/callback").then()
                .statusCode(429);
        // Another address is not held back, and neither is the API.
        given().redirects().follow(false).header("X-Forwarded-For", address + "0").get("/auth/github").then()
                .statusCode(302);
        given().header("X-Forwarded-For", address).get("/api/session").then().statusCode(200);
    }

    /**
     * Refused sign-ins count against the account whatever the address: past the limit its next sign-in gets 429
     * (from yet another address), while other accounts sign in as before.
     */
    @Test
    void refusedSignInsAreLimitedPerAccount() {
        FakeGitHub.Account account = FakeGitHubResource.github().newAccount(login("refused"), "Refused");
        // Start early in a minute: the count is per wall-clock minute, and the whole burst must fall in one.
        long second = java.time.Instant.now().getEpochSecond() % 60;
        if (second > 40) {
            sleep((61 - second) * 1000);
        }
        for (int i = 0; i < 5; i++) {
            List<Hop> hops = browserOf(account).open("/auth/github");
            assertEquals("/waitlist", URI.create(hops.getLast().location()).getPath(), "no invite: " + hops);
        }
        Hop held = browserOf(account).open("/auth/github").getLast();
        assertEquals(429, held.status(), held.toString());
        FakeGitHub.Account other = FakeGitHubResource.github().newAccount(login("other"), "Other");
        String invite = invite();
        assertEquals("/dashboard", URI.create(browserOf(other).open("/auth/github?invite=" + invite).getLast()
                .location()).getPath());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void theDevelopmentSignInIsOffUnlessEnabled() {
        given().header("X-Forwarded-For", "198.51.100.250").redirects().follow(false).get("/auth/dev?login=someone")
                .then().statusCode(404).body("detail", containsString("ARCX_DEV_LOGIN"));
    }

    private SignInClient browserOf(FakeGitHub.Account account) {
        FakeGitHubResource.github().signIn(account);
        return new SignInClient(app, "203.0.113." + ADDRESSES.incrementAndGet());
    }

    private Row userRow(long githubId) {
        var rows = pool.preparedQuery("SELECT * FROM users WHERE github_id = $1").executeAndAwait(Tuple.of(githubId));
        assertEquals(1, rows.size());
        return rows.iterator().next();
    }

    static String invite() {
        return admin().body(Map.of()).post("/api/admin/invites").then().statusCode(201).extract().path("code");
    }

    static String login(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    private static String query(URI uri, String name) {
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name)) {
                return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no " + name + " in " + uri);
    }
}
