package dev.arcx.imagebuilder.testsupport;

import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.common.tokens.SessionTokens;
import dev.arcx.testkit.callers.Callers;
import dev.arcx.testkit.callers.TestTokens;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Session tokens as the orchestrator signs them at sign-in (with the tests' secret); the image-builder checks them
 * without a database, so no session row goes with them.
 */
public final class TestSessions {
    private static final SessionTokens SESSIONS = new SessionTokens(TestTokens.SESSION_SECRET);

    private TestSessions() {
    }

    /** A fresh session token of a new user, good for an hour. */
    public static String token() {
        Instant now = Instant.now();
        return SESSIONS.sign(new SessionClaims(UUID.randomUUID(), UUID.randomUUID(), "someone", now,
                now.plus(Duration.ofHours(1))));
    }

    /** Requests as a signed-in user (a fresh session token). */
    public static RequestSpecification user() {
        return Callers.as(token());
    }
}
