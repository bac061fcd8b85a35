package dev.arcx.orchestrator.user;

import dev.arcx.orchestrator.support.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** SQL over users, plans and API tokens. */
@ApplicationScoped
public class UserRepository {
    private final Pool pool;

    UserRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<User> insert(UUID id, String login, String plan) {
        return pool.preparedQuery("INSERT INTO users (id, login, plan_id) VALUES ($1, $2, $3) RETURNING *")
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

    /** The user of an unrevoked session; null when the session ended, was never the user's or the user is suspended. */
    public Uni<User> findBySession(UUID sessionId, UUID userId) {
        return pool.preparedQuery("SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id "
                + "WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND u.suspended_at IS NULL")
                .execute(Tuple.of(sessionId, userId)).map(rows -> Rows.first(rows, UserRepository::user));
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

    static User user(Row r) {
        return new User(r.getUUID("id"), r.getString("login"), r.getString("plan_id"), r.getBoolean("is_admin"),
                r.getOffsetDateTime("created_at"));
    }
}
