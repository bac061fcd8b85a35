package dev.arcx.imagebuilder.testsupport;

import static io.restassured.RestAssured.given;

import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.common.tokens.SessionTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Requests as the administrator, as a signed-in user (a session token), or as nobody. */
public final class Callers {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123456789";
    private static final SessionTokens SESSIONS = new SessionTokens("test-session-secret-0123456789abcdef0123456789");

    private Callers() {
    }

    public static RequestSpecification admin() {
        return given().auth().oauth2(ADMIN_TOKEN).contentType(ContentType.JSON);
    }

    /** A user with a fresh session token, as the orchestrator would sign it. */
    public static RequestSpecification user() {
        return given().auth().oauth2(sessionToken()).contentType(ContentType.JSON);
    }

    /** A session token signed as the orchestrator signs them at sign-in. */
    public static String sessionToken() {
        Instant now = Instant.now();
        return SESSIONS.sign(new SessionClaims(UUID.randomUUID(), UUID.randomUUID(), "someone", now,
                now.plus(Duration.ofHours(1))));
    }

    public static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON);
    }
}
