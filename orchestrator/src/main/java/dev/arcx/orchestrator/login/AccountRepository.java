package dev.arcx.orchestrator.login;

import dev.arcx.orchestrator.support.Rows;
import dev.arcx.orchestrator.user.GitHubProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/** SQL over users as sign-in writes them, and over sessions. */
@ApplicationScoped
public class AccountRepository {
    private final Pool pool;

    AccountRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    public Uni<Account> find(UUID id) {
        return pool.preparedQuery("SELECT * FROM users WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, AccountRepository::account));
    }

    public Uni<Account> lockByGitHubId(SqlClient tx, long githubId) {
        return tx.preparedQuery("SELECT * FROM users WHERE github_id = $1 FOR UPDATE").execute(Tuple.of(githubId))
                .map(rows -> Rows.first(rows, AccountRepository::account));
    }

    /** Logins are unique whatever their case, as on GitHub. */
    public Uni<Account> lockByLogin(SqlClient tx, String login) {
        return tx.preparedQuery("SELECT * FROM users WHERE lower(login) = lower($1) FOR UPDATE").execute(Tuple.of(login))
                .map(rows -> Rows.first(rows, AccountRepository::account));
    }

    /** Writes what GitHub says now: login (renames follow), name, avatar, e-mail, and links the GitHub id. */
    public Uni<Account> updateProfile(SqlClient tx, UUID id, GitHubProfile profile) {
        return tx.preparedQuery("UPDATE users SET github_id = $2, login = $3, name = $4, avatar_url = $5, email = $6, "
                + "updated_at = now() WHERE id = $1 RETURNING *")
                .execute(Tuple.of(id, profile.githubId(), profile.login(), profile.name(), profile.avatarUrl(),
                        profile.email()))
                .map(rows -> Rows.first(rows, AccountRepository::account));
    }

    public Uni<Account> insert(SqlClient tx, UUID id, GitHubProfile profile, String plan, UUID inviteId) {
        return tx.preparedQuery("INSERT INTO users (id, login, plan_id, github_id, name, avatar_url, email, invite_id) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *")
                .execute(Tuple.from(new Object[] {id, profile.login(), plan, profile.githubId(), profile.name(),
                        profile.avatarUrl(), profile.email(), inviteId}))
                .map(rows -> Rows.first(rows, AccountRepository::account));
    }

    public Uni<Void> insertSession(SqlClient tx, UUID id, UUID userId, String via, String sourceIp, String userAgent,
            Instant expiresAt) {
        return tx.preparedQuery("INSERT INTO sessions (id, user_id, via, source_ip, user_agent, expires_at) "
                + "VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.of(id, userId, via, sourceIp, userAgent, expiresAt.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** Makes the user an administrator; false when they already were one. */
    public Uni<Boolean> makeAdmin(SqlClient tx, UUID id) {
        return tx.preparedQuery("UPDATE users SET is_admin = true, updated_at = now() WHERE id = $1 AND NOT is_admin")
                .execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
    }

    /** Ends one session; false when it was already ended or never existed. */
    public Uni<Boolean> revokeSession(SqlClient client, UUID sessionId) {
        return client.preparedQuery("UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(sessionId)).map(rows -> rows.rowCount() > 0);
    }

    /** Ends every open session of the user; answers how many. */
    public Uni<Integer> revokeSessions(SqlClient client, UUID userId) {
        return client.preparedQuery("UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(userId)).map(rows -> rows.rowCount());
    }

    private static Account account(Row r) {
        return new Account(r.getUUID("id"), r.getString("login"), r.getString("plan_id"), r.getString("name"),
                r.getString("avatar_url"), r.getString("email"), r.getLong("github_id"),
                r.getOffsetDateTime("suspended_at"), r.getString("suspension_reason"));
    }
}
