package dev.arcx.imagebuilder.testsupport;

import static io.restassured.RestAssured.given;

import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.common.tokens.SessionTokens;
import dev.arcx.testkit.callers.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Requests as the administrator, as a signed-in user (a session token), or as nobody. */
public final class Callers {
    private static final SessionTokens SESSIONS = new SessionTokens(TestTokens.SESSION_SECRET);

    private Callers() {
    }

    public static RequestSpecification admin() {
        return given().auth().oauth2(TestTokens.ADMIN_TOKEN).contentType(ContentType.JSON);
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
