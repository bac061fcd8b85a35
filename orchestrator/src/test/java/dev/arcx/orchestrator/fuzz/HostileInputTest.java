package dev.arcx.orchestrator.fuzz;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.fuzz.ErrorLog;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;

/**
 * The JSON layer's rules, shared by every service, at the orchestrator's endpoints: a key given twice, a NUL or a lone
 * surrogate in a string, and a value of the wrong JSON type are each refused with a 400 problem+json naming the
 * field, and change nothing; a NUL in the path is a 400 too, for anyone, and none of it is logged as an error.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class HostileInputTest {

    @Test
    void aKeyGivenTwiceIsRefusedNamingIt() {
        TestUser user = Api.newUser("pro");
        String team = Api.createTeam(user, "Twice " + user.login());
        try (ErrorLog errors = ErrorLog.open()) {
            refused(as(user.token()).body("{\"name\":\"a\",\"name\":\"b\"}").post("/api/tokens"), "name");
            refused(as(user.token()).body("{\"name\":\"a\",\"name\":\"b\"}").post("/api/teams"), "name");
            refused(as(user.token()).body("{\"name\":\"a\",\"name\":\"b\"}").patch("/api/teams/" + team), "name");
            refused(as(user.token()).body("{\"url\":\"https://a.example\",\"url\":\"https://b.example\"}")
                    .post("/api/webhooks"), "url");
            refused(as(user.token()).body("{\"count\":1,\"count\":2}").post("/api/workspaces/"
                    + java.util.UUID.randomUUID() + "/clone"), "count");
            refused(admin().body("{\"login\":\"twice-a\",\"login\":\"twice-b\",\"plan\":\"pro\"}")
                    .post("/api/admin/users"), "login");
            refused(admin().body("{\"plan\":\"pro\",\"plan\":\"team\"}").patch("/api/admin/users/" + user.id()),
                    "plan");
            refused(admin().body("{\"reason\":\"a\",\"reason\":\"b\"}").post("/api/admin/users/" + user.id()
                    + "/suspend"), "reason");
            assertEquals(List.of(), errors.since(0));
        }
        // Only the token the test user was made with.
        as(user.token()).get("/api/tokens").then().body("size()", equalTo(1));
        as(user.token()).get("/api/teams").then().body("name", equalTo(List.of("Twice " + user.login())));
        admin().get("/api/admin/users/" + user.id()).then().body("plan", equalTo("pro"))
                .body("suspendedAt", nullValue());
        admin().get("/api/admin/users?q=twice-").then().body("total", equalTo(0));
    }

    @Test
    void aNulOrALoneSurrogateInAnyStringIsRefusedNamingTheField() {
        TestUser user = Api.newUser("pro");
        String team = Api.createTeam(user, "Nul " + user.login());
        try (ErrorLog errors = ErrorLog.open()) {
            refused(as(user.token()).body("{\"name\":\"a\\u0000b\"}").post("/api/tokens"), "name", "NUL");
            refused(as(user.token()).body("{\"name\":\"\\ud800\"}").post("/api/teams"), "name", "surrogate");
            refused(as(user.token()).body("{\"name\":\"x\\udc00\"}").patch("/api/teams/" + team), "name",
                    "surrogate");
            refused(admin().body("{\"login\":\"nul-" + user.login() + "\",\"plan\":\"pro\\u0000\"}")
                    .post("/api/admin/users"), "plan", "NUL");
            refused(admin().body("{\"plan\":\"\\u0000\"}").patch("/api/admin/users/" + user.id()), "plan", "NUL");
            refused(admin().body("{\"reason\":\"spam\\u0000\"}").post("/api/admin/users/" + user.id() + "/suspend"),
                    "reason", "NUL");
            refused(admin().body("{\"plan\":\"team\\u0000\"}").patch("/api/admin/teams/" + team), "plan", "NUL");
            refused(as(user.token()).body("{\"language\":\"python\",\"code\":\"print(1)\",\"files\":{\"a\\u0000\":"
                    + "\"x\"}}").post("/api/exec"), "files", "NUL");
            // Nobody signed in, in the path: refused before any query is made.
            for (String path : List.of("/api/flavors/%00", "/api/resource-tiers/a%00b", "/api/addons/%00",
                    "/api/addons/%00/compatibility?tier=starter", "/api/flavors?x=%00", "/api/flavors/%ED%A0%80")) {
                given().urlEncodingEnabled(false).get(path).then().statusCode(400)
                        .contentType("application/problem+json")
                        .body("detail", anyOf(containsString("path"), containsString("query string")));
            }
            assertEquals(List.of(), errors.since(0));
        }
        // Only the token the test user was made with.
        as(user.token()).get("/api/tokens").then().body("size()", equalTo(1));
        as(user.token()).get("/api/teams").then().body("name", equalTo(List.of("Nul " + user.login())));
        admin().get("/api/admin/users/" + user.id()).then().body("plan", equalTo("pro"))
                .body("suspendedAt", nullValue());
        admin().get("/api/admin/users?q=nul-" + user.login()).then().body("total", equalTo(0));
    }

    @Test
    void valuesOfTheWrongJsonTypeAreRefusedNotCoerced() {
        TestUser user = Api.newUser("pro");
        refused(admin().body("{\"login\":918273645,\"plan\":\"pro\"}").post("/api/admin/users"), "login",
                "must be a string");
        admin().get("/api/admin/users?q=918273645").then().body("total", equalTo(0));
        refused(as(user.token()).body("{\"name\":true}").post("/api/teams"), "name", "must be a string");
        refused(as(user.token()).body("{\"name\":[\"a\"]}").post("/api/teams"), "name", "must be a string");
        as(user.token()).get("/api/teams").then().body("size()", equalTo(0));
        for (String admin : List.of("\"true\"", "1", "\"1\"", "[true]")) {
            refused(admin().body("{\"admin\":" + admin + "}").patch("/api/admin/users/" + user.id()), "admin",
                    "true or false");
        }
        admin().get("/api/admin/users/" + user.id()).then().body("admin", equalTo(false));
        refused(as(user.token()).body("{\"name\":\"ci\",\"expiresInDays\":\"30\"}").post("/api/tokens"),
                "expiresInDays", "whole number");
        refused(as(user.token()).body("{\"name\":\"ci\",\"expiresInDays\":1.5}").post("/api/tokens"),
                "expiresInDays", "whole number");
        // Only the token the test user was made with.
        as(user.token()).get("/api/tokens").then().body("size()", equalTo(1));
    }

    @Test
    void namesOthersSeeRefuseBidiControlsAndFreeTextRefusesControlCharacters() {
        TestUser user = Api.newUser("pro");
        String team = Api.createTeam(user, "Plain " + user.login());
        for (String name : List.of("\u202Eevil", "a\u2066b\u2069", "tab\there", "bell\u0007")) {
            refused(as(user.token()).body(Map.of("name", name)).post("/api/teams"), "name");
            refused(as(user.token()).body(Map.of("name", name)).patch("/api/teams/" + team), "name");
            refused(as(user.token()).body(Map.of("name", name)).post("/api/tokens"), "name");
        }
        as(user.token()).get("/api/teams").then().body("name", equalTo(List.of("Plain " + user.login())));
        // Only the token the test user was made with.
        as(user.token()).get("/api/tokens").then().body("size()", equalTo(1));

        TestUser suspended = Api.newUser("free");
        refused(admin().body(Map.of("reason", "spam\u0007\u001b[31m")).post("/api/admin/users/" + suspended.id()
                + "/suspend"), "reason", "control characters");
        refused(admin().body(Map.of("note", "beta\rtesters")).post("/api/admin/invites"), "note",
                "control characters");
        admin().get("/api/admin/users/" + suspended.id()).then().body("suspendedAt", nullValue());
        // Newlines and tabs are part of free text.
        admin().body(Map.of("reason", "spam\n\tsee ticket 12")).post("/api/admin/users/" + suspended.id()
                + "/suspend").then().statusCode(200).body("suspensionReason", equalTo("spam\n\tsee ticket 12"));
    }

    /**
     * A NUL in a header value, sent as raw bytes (HTTP clients refuse to), where a header is read as a name to look up
     * (forward-auth's host, the audit log's client address), and a Content-Type that is no media type: refusals,
     * never errors.
     */
    @Test
    void aNulInAHeaderOrAContentTypeThatIsNoMediaTypeIsRefusedNotLoggedAsAnError() throws Exception {
        try (ErrorLog errors = ErrorLog.open()) {
            for (String header : List.of("X-Forwarded-Host: ws--a\u0000b.arcx.test",
                    "X-Forwarded-For: 10.0.0.1\u0000")) {
                int status = raw("GET", "/api/auth/forward", header, "");
                assertTrue(status >= 400 && status < 500, header + " answered " + status);
            }
            // A Content-Type that is no media type, where the REST layer would choose between JSON and a stream.
            TestUser user = Api.newUser("free");
            assertEquals(400, raw("POST", "/api/exec/sessions/" + java.util.UUID.randomUUID() + "/run",
                    "Authorization: Bearer " + user.token() + "\r\nContent-Type: ;;;\r\nContent-Length: 2", "{}"));
            assertEquals(List.of(), errors.since(0));
        }
    }

    /** The status of a request written byte for byte (HTTP clients refuse to send these). */
    private static int raw(String method, String path, String headers, String body) throws Exception {
        int port = io.restassured.RestAssured.port;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers
                    + "\r\nConnection: close\r\n\r\n" + body;
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.ISO_8859_1)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    /** A 400 problem+json whose detail names the field (and says each of {@code words}). */
    private static void refused(io.restassured.response.Response response, String field, String... words) {
        Matcher<String> detail = containsString(field);
        for (String word : words) {
            detail = allOf(detail, containsString(word));
        }
        response.then().statusCode(400).contentType("application/problem+json").body("detail", detail);
    }
}
