package dev.arcx.orchestrator.signup;

import dev.arcx.orchestrator.support.Rows;
import dev.arcx.orchestrator.user.GitHubProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** SQL over invites and the waitlist. */
@ApplicationScoped
public class SignupRepository {
    private static final String INVITE_COLUMNS = "*, CASE WHEN revoked_at IS NOT NULL THEN 'revoked' "
            + "WHEN expires_at IS NOT NULL AND expires_at <= now() THEN 'expired' "
            + "WHEN uses >= max_uses THEN 'used-up' ELSE 'active' END AS status";

    private final Pool pool;

    SignupRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    public Uni<Invite> insertInvite(SqlClient client, UUID id, String code, int maxUses, OffsetDateTime expiresAt,
            String note) {
        return client.preparedQuery("INSERT INTO invites (id, code, max_uses, expires_at, note) "
                + "VALUES ($1, $2, $3, $4, $5) RETURNING " + INVITE_COLUMNS)
                .execute(Tuple.of(id, code, maxUses, expiresAt, note)).map(rows -> Rows.first(rows, SignupRepository::invite));
    }

    public Uni<List<Invite>> invites() {
        return pool.query("SELECT " + INVITE_COLUMNS + " FROM invites ORDER BY created_at DESC, id").execute()
                .map(rows -> Rows.all(rows, SignupRepository::invite));
    }

    public Uni<Boolean> codeTaken(String code) {
        return pool.preparedQuery("SELECT 1 FROM invites WHERE lower(code) = lower($1)").execute(Tuple.of(code))
                .map(rows -> rows.size() > 0);
    }

    /** Revokes an invite that is not revoked yet; null when there is no such invite. */
    public Uni<Invite> revoke(SqlClient client, UUID id) {
        return client.preparedQuery("UPDATE invites SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 "
                + "RETURNING " + INVITE_COLUMNS).execute(Tuple.of(id)).map(rows -> Rows.first(rows, SignupRepository::invite));
    }

    /**
     * Takes one use of a usable invite (not revoked, not expired, not used up), by code or by id; the row stays locked
     * for the transaction, so two sign-ups cannot share the last use. Null when there is no usable invite.
     */
    public Uni<UUID> redeem(SqlClient tx, String code, UUID id) {
        return tx.preparedQuery("UPDATE invites SET uses = uses + 1 WHERE (lower(code) = lower($1) OR id = $2) "
                + "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) AND uses < max_uses "
                + "RETURNING id").execute(Tuple.of(code, id)).map(rows -> Rows.first(rows, row -> row.getUUID("id")));
    }

    /** The invite an admin's approval made for this GitHub account, if any. */
    public Uni<UUID> approvedInvite(SqlClient tx, long githubId) {
        return tx.preparedQuery("SELECT invite_id FROM waitlist WHERE github_id = $1 AND approved_at IS NOT NULL")
                .execute(Tuple.of(githubId)).map(rows -> Rows.first(rows, row -> row.getUUID("invite_id")));
    }

    /** Adds the person to the waitlist, or refreshes their entry (its place and approval stay). */
    public Uni<WaitlistEntry> join(SqlClient tx, GitHubProfile profile, String reason) {
        return tx.preparedQuery("INSERT INTO waitlist (id, github_id, login, name, email, avatar_url, reason) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (github_id) DO UPDATE SET login = excluded.login, "
                + "name = excluded.name, email = excluded.email, avatar_url = excluded.avatar_url, "
                + "reason = excluded.reason RETURNING *")
                .execute(Tuple.from(new Object[] {UUID.randomUUID(), profile.githubId(), profile.login(),
                        profile.name(), profile.email(), profile.avatarUrl(), reason}))
                .map(rows -> Rows.first(rows, SignupRepository::entry));
    }

    public Uni<List<WaitlistEntry>> waitlist() {
        return pool.query("SELECT * FROM waitlist ORDER BY joined_at, id").execute()
                .map(rows -> Rows.all(rows, SignupRepository::entry));
    }

    /** Locks an entry for its approval; null when there is none. */
    public Uni<WaitlistEntry> lockEntry(SqlClient tx, UUID id) {
        return tx.preparedQuery("SELECT * FROM waitlist WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, SignupRepository::entry));
    }

    public Uni<WaitlistEntry> approve(SqlClient tx, UUID id, UUID inviteId) {
        return tx.preparedQuery("UPDATE waitlist SET approved_at = now(), invite_id = $2 WHERE id = $1 RETURNING *")
                .execute(Tuple.of(id, inviteId)).map(rows -> Rows.first(rows, SignupRepository::entry));
    }

    /** The user's plan id, or null for no such user. */
    public Uni<String> plan(UUID userId) {
        return pool.preparedQuery("SELECT plan_id FROM users WHERE id = $1").execute(Tuple.of(userId))
                .map(rows -> Rows.first(rows, row -> row.getString("plan_id")));
    }

    private static Invite invite(Row r) {
        return new Invite(r.getUUID("id"), r.getString("code"), r.getString("note"), r.getInteger("max_uses"),
                r.getInteger("uses"), r.getOffsetDateTime("expires_at"), r.getOffsetDateTime("revoked_at"),
                r.getOffsetDateTime("created_at"), r.getString("status"));
    }

    private static WaitlistEntry entry(Row r) {
        return new WaitlistEntry(r.getUUID("id"), r.getLong("github_id"), r.getString("login"), r.getString("name"),
                r.getString("email"), r.getString("avatar_url"), r.getString("reason"),
                r.getOffsetDateTime("joined_at"), r.getOffsetDateTime("approved_at"), r.getUUID("invite_id"));
    }
}
