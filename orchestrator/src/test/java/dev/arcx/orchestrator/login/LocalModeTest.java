package dev.arcx.orchestrator.login;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.orchestrator.testsupport.SignInClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Local mode as {@code ./arcx up} runs it: no GitHub OAuth app (quarkus-oidc's tenant is off and the application
 * starts all the same), open signup, and the development sign-in on, which the session answer reports for the banner.
 */
@QuarkusTest
@TestProfile(LocalModeTest.LocalMode.class)
public class LocalModeTest {
    @TestHTTPResource("/")
    URI app;

    @Test
    void withoutAGitHubAppTheDevelopmentSignInMakesAndSignsInLocalUsers() {
        given().redirects().follow(false).get("/auth/github").then().statusCode(404)
                .body("detail", containsString("not configured"));
        given().redirects().follow(false).get("/auth/callback").then().statusCode(401);
        given().get("/api/session").then().statusCode(200).body("authenticated", equalTo(false))
                .body("devLogin", equalTo(true)).body("githubLogin", equalTo(false))
                .body("signupMode", equalTo("open"));

        SignInClient browser = new SignInClient(app, "127.0.0.1");
        String login = GitHubLoginTest.login("local");
        assertEquals("/dashboard", URI.create(browser.open("/auth/dev?login=" + login).getLast().location()).getPath());
        String first = browser.cookie(SessionCookies.SESSION);
        assertNotNull(first);
        JsonPath me = new JsonPath(browser.request("GET", "/api/session", Map.of()).body());
        assertEquals(login, me.getString("user.login"));
        assertEquals("free", me.getString("user.plan"));
        assertEquals(true, me.getBoolean("devLogin"));
        String id = me.getString("user.id");

        // The same login again is the same user, in a new session.
        browser.open("/auth/dev?login=" + login);
        assertNotEquals(first, browser.cookie(SessionCookies.SESSION));
        assertEquals(id, new JsonPath(browser.request("GET", "/api/session", Map.of()).body()).getString("user.id"));
        given().redirects().follow(false).get("/auth/dev?login=-bad-").then().statusCode(400);
        given().redirects().follow(false).get("/auth/dev").then().statusCode(400);
    }

    /** What the launcher's local profile sets, without the tests' global resources (GitHub's fake among them). */
    public static class LocalMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("arcx.auth.signup-mode", "open", "arcx.auth.dev-login", "true");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }
}
