package dev.arcx.orchestrator.testsupport;

import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.common.tokens.SessionTokens;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.testkit.TestDatabases;
import dev.arcx.testkit.TestSettings;
import dev.arcx.testkit.callers.TestTokens;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Session tokens as a sign-in makes them, without going through one: a {@code sessions} row (only when the user
 * exists) and the token signed with the tests' secret. For tests about what sessions unlock, not about signing in.
 * The row goes in over plain JDBC into the tests' database, so the same helper serves {@code @QuarkusTest}s and the
 * integration tests that run the packaged orchestrator as its own process on that database.
 */
public final class TestSessions {
    public static final SessionTokens TOKENS = new SessionTokens(TestTokens.SESSION_SECRET);
    private static final String DATABASE = TestSettings.database();

    private TestSessions() {
    }

    /** An open session of the user, good for an hour. */
    public static String open(TestUser user) {
        Instant now = Instant.now();
        return open(user.id(), user.login(), now, now.plus(Duration.ofHours(1)));
    }

    public static String open(UUID userId, String login, Instant issuedAt, Instant expiresAt) {
        UUID sessionId = UUID.randomUUID();
        try (Connection db = TestDatabases.connect(DATABASE);
                PreparedStatement insert = db.prepareStatement("INSERT INTO sessions (id, user_id, via, expires_at) "
                        + "SELECT ?, ?, 'dev', ? WHERE EXISTS (SELECT 1 FROM users WHERE id = ?)")) {
            insert.setObject(1, sessionId);
            insert.setObject(2, userId);
            insert.setTimestamp(3, Timestamp.from(expiresAt));
            insert.setObject(4, userId);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not open a test session in " + DATABASE, e);
        }
        return TOKENS.sign(new SessionClaims(sessionId, userId, login, issuedAt, expiresAt));
    }
}
