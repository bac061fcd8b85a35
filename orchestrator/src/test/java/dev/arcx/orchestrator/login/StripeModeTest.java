package dev.arcx.orchestrator.login;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.orchestrator.testsupport.FakeGitHubResource;
import dev.arcx.orchestrator.testsupport.SignInClient;
import dev.arcx.orchestrator.testsupport.Stripe;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.fakes.FakeGitHub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Stripe mode: anyone signs up, but creating a workspace waits for a paid plan, which a signed Stripe event grants. */
@QuarkusTest
@TestProfile(StripeModeTest.StripeMode.class)
@QuarkusTestResource(WorkspaceImageResource.class)
@QuarkusTestResource(FakeGitHubResource.class)
class StripeModeTest {
    @TestHTTPResource("/")
    URI app;

    @Test
    void workspacesWaitForAPaidPlanThatAStripeCheckoutGrants() {
        FakeGitHub.Account account = FakeGitHubResource.github().newAccount(GitHubLoginTest.login("payer"), "Payer");
        FakeGitHubResource.github().signIn(account);
        SignInClient browser = new SignInClient(app, "203.0.113.200");
        // No invite needed in this mode.
        assertEquals("/dashboard", URI.create(browser.open("/auth/github").getLast().location()).getPath());
        String session = browser.cookie(SessionCookies.SESSION);
        String userId = given().cookie(SessionCookies.SESSION, session).get("/api/session").then().statusCode(200)
                .extract().path("user.id");

        create(session).then().statusCode(402).contentType("application/problem+json")
                .body("detail", containsString("paid plan"));
        // Unsigned, the upgrade is refused and the user stays on free.
        String checkout = Stripe.checkoutCompleted("evt_" + UUID.randomUUID(), UUID.fromString(userId),
                "cus_" + System.nanoTime(), null);
        Stripe.send(checkout, "t=1,v1=00").statusCode(400);
        create(session).then().statusCode(402);

        Stripe.send(checkout).statusCode(200);
        String workspace = create(session).then().statusCode(201).extract().path("id");
        given().cookie(SessionCookies.SESSION, session).header(SessionCookies.CSRF_HEADER, SessionCookies.csrfToken(session))
                .delete("/api/workspaces/" + workspace).then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> given().cookie(SessionCookies.SESSION, session)
                .get("/api/workspaces/" + workspace).statusCode() == 404);
    }

    private static io.restassured.response.Response create(String session) {
        RequestSpecification request = given().cookie(SessionCookies.SESSION, session)
                .header(SessionCookies.CSRF_HEADER, SessionCookies.csrfToken(session)).contentType("application/json")
                .body(Map.of("name", "paid", "resourceTierId", "starter", "flavorId", "fullstack", "addonIds", List.of()));
        return request.post("/api/workspaces");
    }

    public static class StripeMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("arcx.auth.signup-mode", "stripe");
        }
    }
}
