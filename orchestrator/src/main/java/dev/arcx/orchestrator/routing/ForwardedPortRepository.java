package dev.arcx.orchestrator.routing;

import dev.arcx.orchestrator.support.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * SQL over forwarded ports. Callers reach a workspace's ports only after finding the workspace as someone who may
 * use it (its owner or a member of its team).
 */
@ApplicationScoped
public class ForwardedPortRepository {
    private final Pool pool;

    ForwardedPortRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<ForwardedPort>> list(UUID workspaceId) {
        return pool.preparedQuery("SELECT port, share FROM forwarded_ports WHERE workspace_id = $1 ORDER BY port")
                .execute(Tuple.of(workspaceId)).map(rows -> Rows.all(rows, ForwardedPortRepository::port));
    }

    public Uni<ForwardedPort> upsert(SqlClient client, UUID workspaceId, int port, PortShare share) {
        return client.preparedQuery("INSERT INTO forwarded_ports (workspace_id, port, share) VALUES ($1, $2, $3) "
                + "ON CONFLICT (workspace_id, port) DO UPDATE SET share = EXCLUDED.share, updated_at = now() "
                + "RETURNING port, share")
                .execute(Tuple.of(workspaceId, port, share.wireName()))
                .map(rows -> Rows.first(rows, ForwardedPortRepository::port));
    }

    /** True when the port was forwarded. */
    public Uni<Boolean> delete(SqlClient client, UUID workspaceId, int port) {
        return client.preparedQuery("DELETE FROM forwarded_ports WHERE workspace_id = $1 AND port = $2")
                .execute(Tuple.of(workspaceId, port)).map(rows -> rows.rowCount() > 0);
    }

    /**
     * In one round trip, what forward-auth needs about a host name: whether the caller may use the workspace (its
     * owner or a member of its team, as {@code may_use_workspace} decides), the port's share (null when the port is
     * not forwarded or {@code port} is null) and the caller's login (null when {@code callerId} is null or names no
     * user). Null when no workspace has that name and owner login.
     *
     * @param sessionId the caller's session, which must still be unrevoked for the caller to count
     */
    public Uni<RouteAccess> access(String workspaceName, String lowerLogin, Integer port, UUID callerId,
            UUID sessionId) {
        // One row always: the caller's session is known whether or not the workspace exists.
        return pool.preparedQuery("SELECT w.id, w.id IS NOT NULL AND may_use_workspace(w.owner_id, w.team_id, $4) "
                + "AS may_use, fp.share, c.caller "
                + "FROM (SELECT (SELECT c.login FROM sessions s JOIN users c ON c.id = s.user_id "
                + "WHERE s.id = $5 AND c.id = $4 AND s.revoked_at IS NULL) AS caller) c "
                + "LEFT JOIN (workspaces w JOIN users u ON u.id = w.owner_id) ON w.name = $1 AND lower(u.login) = $2 "
                + "LEFT JOIN forwarded_ports fp ON fp.workspace_id = w.id AND fp.port = $3")
                .execute(Tuple.of(workspaceName, lowerLogin, port, callerId, sessionId))
                .map(rows -> Rows.first(rows, row -> new RouteAccess(row.getUUID("id"), row.getBoolean("may_use"),
                        row.getString("share") == null ? null : share(row.getString("share")),
                        row.getString("caller"))));
    }

    private static ForwardedPort port(Row row) {
        return new ForwardedPort(row.getInteger("port"), share(row.getString("share")));
    }

    private static PortShare share(String wire) {
        return PortShare.fromWire(wire).orElseThrow(() -> new IllegalStateException("unknown share " + wire));
    }

    /**
     * @param workspaceId null when no workspace is served at the address
     * @param mayUse whether the caller is the workspace's owner or a member of its team
     * @param share the forwarded port's share, null when the port is not forwarded (or the IDE was asked for)
     * @param callerLogin the signed-in caller's login, null when there is none
     */
    public record RouteAccess(UUID workspaceId, boolean mayUse, PortShare share, String callerLogin) {
    }
}
