package dev.arcx.orchestrator.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.Endpoints;
import dev.arcx.orchestrator.testsupport.Endpoints.Endpoint;
import dev.arcx.orchestrator.testsupport.TestSessions;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every state-changing endpoint of the API document refuses a request authenticated by the session cookie alone
 * (no {@code X-CSRF-Token}, no same-site Origin) with the CSRF guard's 403, before it acts: an endpoint added later
 * that escapes the guard fails this test. A bearer-token request to the same endpoints is never the guard's 403.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class CsrfCoverageTest {

    @Test
    void everyStateChangingEndpointRefusesACookieWithoutTheCsrfToken() {
        TestUser user = Api.newUser("pro");
        String session = TestSessions.open(user);
        List<Endpoint> changing = Endpoints.all().stream()
                .filter(endpoint -> Endpoints.STATE_CHANGING.contains(endpoint.method())).toList();
        List<String> listed = changing.stream().map(Endpoint::toString).toList();
        assertTrue(changing.size() >= 25, "too few state-changing endpoints in /q/openapi: " + listed);
        for (String known : List.of("POST /api/tokens", "DELETE /api/tokens/{id}", "POST /api/workspaces",
                "DELETE /api/workspaces/{id}", "PATCH /api/admin/users/{id}", "POST /api/admin/users/{id}/suspend",
                "POST /auth/logout")) {
            assertTrue(listed.contains(known), known + " missing from " + listed);
        }

        List<String> unguarded = new ArrayList<>();
        for (Endpoint endpoint : changing) {
            var response = given().cookie(SessionCookies.SESSION, session).contentType(ContentType.JSON).body("{}")
                    .request(endpoint.method(), endpoint.path()).then().extract();
            String detail = response.statusCode() == 403 ? response.jsonPath().getString("detail") : null;
            if (detail == null || !detail.contains(SessionCookies.CSRF_HEADER)) {
                unguarded.add(endpoint + " -> " + response.statusCode() + " " + response.body().asString());
            }
        }
        assertEquals(List.of(), unguarded);
    }

    /**
     * A bearer token is not ambient authority (a browser never attaches it by itself), so no state-changing
     * endpoint asks it for the CSRF token: whatever each answers, it is not the guard's 403.
     */
    @Test
    void bearerTokenRequestsAreNotSubjectToCsrf() {
        TestUser user = Api.newUser("free");
        List<String> guarded = new ArrayList<>();
        for (Endpoint endpoint : Endpoints.all()) {
            if (!Endpoints.STATE_CHANGING.contains(endpoint.method())) {
                continue;
            }
            var response = Api.as(user.token()).body("{}").request(endpoint.method(), endpoint.path()).then()
                    .extract();
            if (response.statusCode() == 403 && response.body().asString().contains(SessionCookies.CSRF_HEADER)) {
                guarded.add(endpoint + " -> " + response.body().asString());
            }
        }
        assertEquals(List.of(), guarded);
    }

    /** The control: the same cookie with its CSRF token is let through, so the refusals above are the guard's. */
    @Test
    void theSameCookieWithItsCsrfTokenIsLetThrough() {
        TestUser user = Api.newUser("free");
        String session = TestSessions.open(user);
        given().cookie(SessionCookies.SESSION, session).header(SessionCookies.CSRF_HEADER,
                SessionCookies.csrfToken(session)).contentType(ContentType.JSON).body(Map.of("name", "from the page"))
                .post("/api/tokens").then().statusCode(201).body("token", startsWith("arcx_pat_"));
        given().cookie(SessionCookies.SESSION, session).contentType(ContentType.JSON).body(Map.of("name", "forged"))
                .post("/api/tokens").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString(SessionCookies.CSRF_HEADER));
    }
}
