package dev.arcx.orchestrator.access;

import dev.arcx.orchestrator.support.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** The access rule's one query. */
@ApplicationScoped
public class AccessRepository {
    /**
     * One row when the user may use the workspace ({@code may_use_workspace}) and is not suspended: the role column
     * holds {@code personal} for the owner of a personal workspace, else the user's role in the workspace's team.
     */
    static final String MAY_USE = "SELECT CASE WHEN w.team_id IS NULL THEN 'personal' ELSE (SELECT m.role "
            + "FROM team_members m WHERE m.team_id = w.team_id AND m.user_id = u.id) END AS role "
            + "FROM workspaces w JOIN users u ON u.id = $1 AND u.suspended_at IS NULL "
            + "WHERE w.id = $2 AND may_use_workspace(w.owner_id, w.team_id, u.id)";
    /** What the role column says for the owner of a personal workspace. */
    static final String PERSONAL = "personal";

    private final Pool pool;

    AccessRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * {@link #PERSONAL} or the user's team role ({@code owner}, {@code member}) when the user may use the workspace;
     * empty when not, or when either does not exist.
     */
    public Uni<Optional<String>> role(UUID userId, UUID workspaceId) {
        return pool.preparedQuery(MAY_USE).execute(Tuple.of(userId, workspaceId))
                .map(rows -> Optional.ofNullable(Rows.first(rows, row -> row.getString("role"))));
    }
}
