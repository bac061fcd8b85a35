package dev.arcx.orchestrator.user;

import dev.arcx.orchestrator.support.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** SQL over personal API tokens. */
@ApplicationScoped
public class ApiTokenRepository {
    /** A token that still works: neither revoked nor expired. */
    static final String USABLE = "t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())";

    private final Pool pool;

    ApiTokenRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<OffsetDateTime> insert(SqlClient client, UUID id, UUID userId, String tokenHash, String displayPrefix, String name,
            OffsetDateTime expiresAt) {
        return client.preparedQuery("INSERT INTO api_tokens (id, user_id, token_hash, display_prefix, name, expires_at) "
                + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING expires_at")
                .execute(Tuple.from(new Object[] {id, userId, tokenHash, displayPrefix, name, expiresAt}))
                .map(rows -> Rows.first(rows, row -> row.getOffsetDateTime("expires_at")));
    }

    /**
     * The unsuspended owner of a usable token, by the token's hash; null otherwise. Notes the use at most once a
     * minute per token, so a busy client does not cost a row write per request.
     */
    public Uni<User> findUserByTokenHash(String tokenHash) {
        return pool.preparedQuery("WITH t AS (SELECT t.id, t.user_id, t.last_used_at FROM api_tokens t "
                + "WHERE t.token_hash = $1 AND " + USABLE + "), "
                + "touched AS (UPDATE api_tokens a SET last_used_at = now() FROM t WHERE a.id = t.id "
                + "AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute')) "
                + "SELECT u.* FROM t JOIN users u ON u.id = t.user_id WHERE u.suspended_at IS NULL")
                .execute(Tuple.of(tokenHash)).map(rows -> Rows.first(rows, UserRepository::user));
    }

    /** The user's tokens, newest first. */
    public Uni<List<ApiToken>> listOwned(UUID userId) {
        return pool.preparedQuery("SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id")
                .execute(Tuple.of(userId)).map(rows -> Rows.all(rows, ApiTokenRepository::token));
    }

    /** Revokes the user's token (a revoked one stays as it was); null when the user has no such token. */
    public Uni<ApiToken> revokeOwned(SqlClient client, UUID userId, UUID id) {
        return client.preparedQuery("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) "
                + "WHERE id = $1 AND user_id = $2 RETURNING *")
                .execute(Tuple.of(id, userId)).map(rows -> Rows.first(rows, ApiTokenRepository::token));
    }

    private static ApiToken token(Row r) {
        OffsetDateTime expiresAt = r.getOffsetDateTime("expires_at");
        OffsetDateTime revokedAt = r.getOffsetDateTime("revoked_at");
        String status = revokedAt != null ? "revoked"
                : expiresAt != null && !expiresAt.isAfter(OffsetDateTime.now()) ? "expired" : "active";
        return new ApiToken(r.getUUID("id"), r.getString("name"), r.getString("display_prefix"),
                r.getOffsetDateTime("created_at"), r.getOffsetDateTime("last_used_at"), expiresAt, revokedAt, status);
    }
}
