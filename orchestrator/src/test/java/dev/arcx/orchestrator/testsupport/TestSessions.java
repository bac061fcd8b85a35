package dev.arcx.orchestrator.testsupport;

import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.common.tokens.SessionTokens;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import io.quarkus.arc.Arc;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Session tokens as a sign-in makes them, without going through one: a {@code sessions} row (only when the user
 * exists) and the token signed with the tests' secret. For tests about what sessions unlock, not about signing in.
 */
public final class TestSessions {
    public static final SessionTokens TOKENS = new SessionTokens(Api.SESSION_SECRET);

    private TestSessions() {
    }

    /** An open session of the user, good for an hour. */
    public static String open(TestUser user) {
        Instant now = Instant.now();
        return open(user.id(), user.login(), now, now.plus(Duration.ofHours(1)));
    }

    public static String open(UUID userId, String login, Instant issuedAt, Instant expiresAt) {
        UUID sessionId = UUID.randomUUID();
        Arc.container().instance(Pool.class).get().preparedQuery("INSERT INTO sessions (id, user_id, via, expires_at) "
                + "SELECT $1, $2, 'dev', $3 WHERE EXISTS (SELECT 1 FROM users WHERE id = $2)")
                .executeAndAwait(Tuple.of(sessionId, userId, expiresAt.atOffset(ZoneOffset.UTC)));
        return TOKENS.sign(new SessionClaims(sessionId, userId, login, issuedAt, expiresAt));
    }
}
