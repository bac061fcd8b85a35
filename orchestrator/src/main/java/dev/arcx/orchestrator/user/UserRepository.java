package dev.arcx.orchestrator.user;

import dev.arcx.orchestrator.support.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Map;
import java.util.UUID;

/** SQL over users, plans and API tokens. */
@ApplicationScoped
public class UserRepository {
    /** What an erasure sets in {@code users.suspension_reason}: the row is a tombstone from then on. */
    public static final String ERASED = "erased";
    /** A user with what the admin sees about them: workspaces, usable tokens, latest sign-in. */
    private static final String ADMIN_VIEW = "SELECT u.*, "
            + "(SELECT count(*) FROM workspaces w WHERE w.owner_id = u.id) AS workspace_count, "
            + "(SELECT count(*) FROM api_tokens t WHERE t.user_id = u.id AND " + ApiTokenRepository.USABLE
            + ") AS token_count, (SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id) AS last_sign_in_at "
            + "FROM users u ";

    private final Pool pool;

    UserRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<User> insert(SqlClient client, UUID id, String login, String plan) {
        return client.preparedQuery("INSERT INTO users (id, login, plan_id) VALUES ($1, $2, $3) RETURNING *")
                .execute(Tuple.of(id, login, plan)).map(rows -> Rows.first(rows, UserRepository::user));
    }

    public Uni<User> findById(UUID id) {
        return pool.preparedQuery("SELECT * FROM users WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, UserRepository::user));
    }

    public Uni<Boolean> loginTaken(String login) {
        return pool.preparedQuery("SELECT 1 FROM users WHERE lower(login) = lower($1)").execute(Tuple.of(login))
                .map(rows -> rows.size() > 0);
    }

    public Uni<Boolean> planExists(String plan) {
        return pool.preparedQuery("SELECT 1 FROM plans WHERE id = $1").execute(Tuple.of(plan))
                .map(rows -> rows.size() > 0);
    }

    /** Every plan, the smallest first, with how many users are on it. */
    /** The logins of those of {@code ids} that are users (ids of deleted users are left out). */
    public Uni<Map<UUID, String>> logins(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("SELECT id, login FROM users WHERE id = ANY ($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> Rows.all(rows, r -> Map.entry(r.getUUID("id"), r.getString("login"))).stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    public Uni<List<Plan>> plans() {
        return pool.query("SELECT p.id, p.name, p.max_workspaces, "
                + "(SELECT count(*) FROM users u WHERE u.plan_id = p.id) AS users FROM plans p "
                + "ORDER BY p.max_workspaces, p.id").execute()
                .map(rows -> Rows.all(rows, r -> new Plan(r.getString("id"), r.getString("name"),
                        r.getInteger("max_workspaces"), r.getLong("users"))));
    }

    /** The user of an unrevoked session; null when the session ended, was never the user's or the user is suspended. */
    public Uni<User> findBySession(UUID sessionId, UUID userId) {
        return pool.preparedQuery("SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id "
                + "WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND u.suspended_at IS NULL")
                .execute(Tuple.of(sessionId, userId)).map(rows -> Rows.first(rows, UserRepository::user));
    }

    /** The users matching the admin's filters (see {@link #adminFilter}), oldest first. */
    public Uni<List<AdminUserView>> search(String pattern, String plan, Boolean suspended, int limit, int offset) {
        return pool.preparedQuery(ADMIN_VIEW + adminFilter() + " ORDER BY u.created_at, u.id LIMIT $4 OFFSET $5")
                .execute(Tuple.from(new Object[] {pattern, plan, suspended, limit, offset}))
                .map(rows -> Rows.all(rows, UserRepository::adminView));
    }

    public Uni<Long> count(String pattern, String plan, Boolean suspended) {
        return pool.preparedQuery("SELECT count(*) AS total FROM users u " + adminFilter())
                .execute(Tuple.from(new Object[] {pattern, plan, suspended}))
                .map(rows -> Rows.first(rows, row -> row.getLong("total")));
    }

    public Uni<AdminUserView> adminView(UUID id) {
        return pool.preparedQuery(ADMIN_VIEW + "WHERE u.id = $1").execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, UserRepository::adminView));
    }

    public Uni<Void> setPlan(SqlClient client, UUID id, String plan) {
        return client.preparedQuery("UPDATE users SET plan_id = $2, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(id, plan)).replaceWithVoid();
    }

    public Uni<Void> setAdmin(SqlClient client, UUID id, boolean admin) {
        return client.preparedQuery("UPDATE users SET is_admin = $2, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(id, admin)).replaceWithVoid();
    }

    /** Suspends the user (since the first suspension, with the latest reason); false when there is no such user. */
    public Uni<Boolean> suspend(SqlClient client, UUID id, String reason) {
        return client.preparedQuery("UPDATE users SET suspended_at = COALESCE(suspended_at, now()), "
                + "suspension_reason = $2, updated_at = now() WHERE id = $1 AND suspension_reason IS DISTINCT FROM '"
                + ERASED + "'")
                .execute(Tuple.of(id, reason)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<Boolean> unsuspend(SqlClient client, UUID id) {
        return client.preparedQuery("UPDATE users SET suspended_at = NULL, suspension_reason = NULL, updated_at = now() "
                + "WHERE id = $1 AND suspension_reason IS DISTINCT FROM '" + ERASED + "'")
                .execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
    }

    /**
     * Locks the user's row for the rest of the transaction and answers how many workspaces the user's plan allows.
     * Serialises a user's concurrent creations so two requests cannot both squeeze under the quota.
     */
    public Uni<Integer> lockAndGetWorkspaceAllowance(SqlClient tx, UUID userId) {
        return tx.preparedQuery("SELECT p.max_workspaces FROM users u JOIN plans p ON p.id = u.plan_id "
                + "WHERE u.id = $1 FOR UPDATE OF u").execute(Tuple.of(userId))
                .map(rows -> Rows.first(rows, row -> row.getInteger("max_workspaces")));
    }

    /**
     * $1: an ILIKE pattern over login, name and e-mail (null: any); $2: a plan id (null: any); $3: suspended or
     * not (null: either).
     */
    private static String adminFilter() {
        return "WHERE ($1::text IS NULL OR u.login ILIKE $1 OR u.name ILIKE $1 OR u.email ILIKE $1) "
                + "AND ($2::text IS NULL OR u.plan_id = $2) "
                + "AND ($3::boolean IS NULL OR (u.suspended_at IS NOT NULL) = $3)";
    }

    private static AdminUserView adminView(Row r) {
        return new AdminUserView(r.getUUID("id"), r.getString("login"), r.getString("name"), r.getString("email"),
                r.getString("avatar_url"), r.getString("plan_id"), r.getBoolean("is_admin"),
                r.getOffsetDateTime("suspended_at"), r.getString("suspension_reason"),
                r.getOffsetDateTime("created_at"), r.getOffsetDateTime("last_sign_in_at"),
                r.getLong("workspace_count"), r.getLong("token_count"));
    }

    static User user(Row r) {
        return new User(r.getUUID("id"), r.getString("login"), r.getString("plan_id"), r.getBoolean("is_admin"),
                r.getOffsetDateTime("created_at"));
    }
}
