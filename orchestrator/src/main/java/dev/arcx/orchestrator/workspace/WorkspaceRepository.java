package dev.arcx.orchestrator.workspace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcx.common.workspace.WorkspaceStatus;
import dev.arcx.orchestrator.support.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * SQL over workspaces. Every query a user's request can reach takes the caller's id and asks the database's
 * {@code may_use_workspace} (the owner of a personal workspace, a member of a team's), so anyone else's is simply
 * not found: authorisation by construction, not by a check each handler must remember.
 */
@ApplicationScoped
public class WorkspaceRepository {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    /** Key of the transaction-scoped advisory lock that serialises checks of the platform-wide cap. */
    private static final long PLATFORM_CAP_LOCK = 0x61726378_00000001L;
    /** Every column plus the owner's login, which the workspace's host names are made of. */
    private static final String COLUMNS = "*, (SELECT u.login FROM users u WHERE u.id = workspaces.owner_id) AS owner_login";
    private static final String WITH_PLAN = "workspaces w JOIN users u ON u.id = w.owner_id "
            + "LEFT JOIN teams t ON t.id = w.team_id";
    private static final String PLAN_OF = "COALESCE(t.plan_id, u.plan_id)";
    private static final String MAY_USE = "may_use_workspace(owner_id, team_id, $2)";

    private final Pool pool;
    private final ObjectMapper json;

    WorkspaceRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    public Pool pool() {
        return pool;
    }

    /**
     * @param teamId the team the workspace belongs to; null for a personal one
     * @param password the new workspace's password hashes; null for an unprotected one
     */
    public Uni<Workspace> insert(SqlClient tx, UUID id, UUID ownerId, UUID teamId, String name, String tierId,
            String flavorId, List<String> addonIds, PasswordHashes password) {
        return tx.preparedQuery("INSERT INTO workspaces (id, owner_id, name, resource_tier_id, flavor_id, addon_ids, "
                + "status, password_hash, ide_password_hash, ide_auth_managed, team_id) "
                + "VALUES ($1, $2, $3, $4, $5, $6, 'creating', $7, $8, $9, $10) RETURNING " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(id, ownerId, name, tierId, flavorId, encode(addonIds),
                        password == null ? null : password.bcrypt(), password == null ? null : password.argon2(),
                        password != null, teamId)))
                .map(rows -> Rows.first(rows, this::workspace));
    }

    /**
     * A clone of {@code source}, in creating and marked as still copying, of the source's owner and team. It keeps
     * the source's password: its home, copied from the source's, carries the source's IDE auth file too.
     */
    public Uni<Workspace> insertClone(SqlClient tx, UUID id, Workspace source, String name) {
        return tx.preparedQuery("INSERT INTO workspaces (id, owner_id, name, resource_tier_id, flavor_id, addon_ids, "
                + "status, cloned_from, cloning, password_hash, ide_password_hash, ide_auth_managed, team_id) "
                + "VALUES ($1, $2, $3, $4, $5, $6, 'creating', $7, true, "
                + "(SELECT password_hash FROM workspaces WHERE id = $7), "
                + "(SELECT ide_password_hash FROM workspaces WHERE id = $7), "
                + "COALESCE((SELECT ide_auth_managed FROM workspaces WHERE id = $7), false), "
                + "(SELECT team_id FROM workspaces WHERE id = $7)) RETURNING " + COLUMNS)
                .execute(Tuple.from(List.of(id, source.ownerId(), name, source.resourceTierId(), source.flavorId(),
                        encode(source.addonIds()), source.id())))
                .map(rows -> Rows.first(rows, this::workspace));
    }

    /** The workspace's password hashes; null when it is unprotected (or gone). */
    public Uni<PasswordHashes> passwordHashes(UUID id) {
        return pool.preparedQuery("SELECT password_hash, ide_password_hash FROM workspaces "
                + "WHERE id = $1 AND password_hash IS NOT NULL").execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, row -> new PasswordHashes(row.getString("password_hash"),
                        row.getString("ide_password_hash"))));
    }

    /**
     * Sets ({@code hashes} non-null) or removes the password of a workspace the user may use, only while its protection is still
     * {@code wasProtected}: of two concurrent changes, the second finds the row changed and answers null.
     */
    public Uni<Workspace> setPassword(SqlClient client, UUID userId, UUID id, boolean wasProtected, PasswordHashes hashes) {
        return client.preparedQuery("UPDATE workspaces SET password_hash = $4, ide_password_hash = $5, "
                + "ide_auth_managed = true, updated_at = now() WHERE id = $1 AND " + MAY_USE + " AND status <> 'deleting' "
                + "AND (password_hash IS NOT NULL) = $3 RETURNING " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(id, userId, wasProtected,
                        hashes == null ? null : hashes.bcrypt(), hashes == null ? null : hashes.argon2())))
                .map(rows -> Rows.first(rows, this::workspace));
    }

    /** The clone has its files: from here on it is brought up like any workspace. */
    public Uni<Void> copied(UUID id) {
        return pool.preparedQuery("UPDATE workspaces SET cloning = false, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(id)).replaceWithVoid();
    }

    /** The names the owner's workspaces have, to pick free ones for clones. */
    public Uni<List<String>> names(SqlClient tx, UUID ownerId) {
        return tx.preparedQuery("SELECT name FROM workspaces WHERE owner_id = $1").execute(Tuple.of(ownerId))
                .map(rows -> Rows.all(rows, row -> row.getString("name")));
    }

    /** The workspace if the user may use it (the owner of a personal one, a member of a team's); null otherwise. */
    public Uni<Workspace> findForUser(UUID userId, UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM workspaces WHERE id = $1 AND " + MAY_USE)
                .execute(Tuple.of(id, userId)).map(rows -> Rows.first(rows, this::workspace));
    }

    /** The user's personal workspaces and those of the user's teams (the same rule as {@code may_use_workspace}). */
    public Uni<List<Workspace>> listForUser(UUID userId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM workspaces WHERE (owner_id = $1 AND team_id IS NULL) "
                + "OR team_id IN "
                + "(SELECT team_id FROM team_members WHERE user_id = $1) ORDER BY created_at, name")
                .execute(Tuple.of(userId)).map(rows -> Rows.all(rows, this::workspace));
    }

    /** Every workspace the user owns, team ones included: what an administrator's suspension stops. */
    public Uni<List<Workspace>> listOwned(UUID ownerId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM workspaces WHERE owner_id = $1 ORDER BY created_at")
                .execute(Tuple.of(ownerId)).map(rows -> Rows.all(rows, this::workspace));
    }

    /** For the orchestrator's own background work only, never for a user's request. */
    public Uni<Workspace> findById(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM workspaces WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, this::workspace));
    }

    /** Whether the workspace's owner is suspended: then nothing brings it up, whoever asks. */
    public Uni<Boolean> ownerSuspended(UUID id) {
        return pool.preparedQuery("SELECT u.suspended_at IS NOT NULL AS suspended FROM workspaces w "
                + "JOIN users u ON u.id = w.owner_id WHERE w.id = $1").execute(Tuple.of(id))
                .map(rows -> Boolean.TRUE.equals(Rows.first(rows, row -> row.getBoolean("suspended"))));
    }

    /** For the reconciler only. */
    public Uni<List<Workspace>> listAll() {
        return pool.query("SELECT " + COLUMNS + " FROM workspaces ORDER BY created_at").execute()
                .map(rows -> Rows.all(rows, this::workspace));
    }

    public Uni<Boolean> nameTaken(SqlClient tx, UUID ownerId, String name) {
        return tx.preparedQuery("SELECT 1 FROM workspaces WHERE owner_id = $1 AND name = $2")
                .execute(Tuple.of(ownerId, name)).map(rows -> rows.size() > 0);
    }

    /** The owner's personal workspaces (a team's count against the team). */
    public Uni<Integer> countOwned(SqlClient tx, UUID ownerId) {
        return tx.preparedQuery("SELECT count(*) AS n FROM workspaces WHERE owner_id = $1 AND team_id IS NULL "
                + "AND status <> 'deleting'")
                .execute(Tuple.of(ownerId)).map(rows -> Rows.first(rows, row -> row.getInteger("n")));
    }

    public Uni<Integer> countTeam(SqlClient tx, UUID teamId) {
        return tx.preparedQuery("SELECT count(*) AS n FROM workspaces WHERE team_id = $1 AND status <> 'deleting'")
                .execute(Tuple.of(teamId)).map(rows -> Rows.first(rows, row -> row.getInteger("n")));
    }

    /**
     * Takes the platform-cap lock for the rest of the transaction, then counts the workspaces holding a slot. Holding
     * the lock until commit makes count-then-insert atomic across concurrent requests.
     */
    public Uni<Integer> lockAndCountActive(SqlClient tx) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(PLATFORM_CAP_LOCK))
                .flatMap(locked -> tx.query("SELECT count(*) AS n FROM workspaces "
                        + "WHERE status IN ('creating', 'building-image', 'starting', 'running')").execute())
                .map(rows -> Rows.first(rows, row -> row.getInteger("n")));
    }

    /**
     * Moves a workspace to {@code to} only if it is in one of {@code from}: the database decides races between
     * concurrent requests and background work. Answers the updated row, or null if the move did not apply.
     */
    public Uni<Workspace> transition(SqlClient client, UUID id, Collection<WorkspaceStatus> from, WorkspaceStatus to,
            String reason) {
        String[] allowed = from.stream().map(WorkspaceStatus::wireName).toArray(String[]::new);
        // Reaching running starts the lifetime and counts as activity: the idle timeout runs from there.
        return client.preparedQuery("UPDATE workspaces SET status = $2, status_reason = $3, updated_at = now(), "
                + "started_at = CASE WHEN $2 = 'running' THEN now() ELSE started_at END, "
                + "last_active_at = CASE WHEN $2 = 'running' THEN now() ELSE last_active_at END "
                + "WHERE id = $1 AND status = ANY($4) RETURNING " + COLUMNS)
                .execute(Tuple.of(id, to.wireName(), reason, allowed)).map(rows -> Rows.first(rows, this::workspace));
    }

    public Uni<Workspace> transition(UUID id, Collection<WorkspaceStatus> from, WorkspaceStatus to, String reason) {
        return transition(pool, id, from, to, reason);
    }

    /** Moves the workspace to building-image, waiting for {@code image}; null when the move did not apply. */
    public Uni<Workspace> awaitImage(SqlClient client, UUID id, Collection<WorkspaceStatus> from, String image, String reason) {
        String[] allowed = from.stream().map(WorkspaceStatus::wireName).toArray(String[]::new);
        return client.preparedQuery("UPDATE workspaces SET status = 'building-image', status_reason = $2, "
                + "awaited_image = $3, updated_at = now() WHERE id = $1 AND status = ANY($4) RETURNING " + COLUMNS)
                .execute(Tuple.of(id, reason, image, allowed)).map(rows -> Rows.first(rows, this::workspace));
    }

    /** Workspaces in building-image waiting for {@code image}. */
    public Uni<List<UUID>> awaiting(String image) {
        return pool.preparedQuery("SELECT id FROM workspaces WHERE status = 'building-image' AND awaited_image = $1")
                .execute(Tuple.of(image)).map(rows -> Rows.all(rows, row -> row.getUUID("id")));
    }

    public Uni<Void> setContainerId(UUID id, String containerId) {
        return pool.preparedQuery("UPDATE workspaces SET container_id = $2, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(id, containerId)).replaceWithVoid();
    }

    public Uni<Workspace> updateSelection(SqlClient client, UUID userId, UUID id, String tierId, List<String> addonIds) {
        return client.preparedQuery("UPDATE workspaces SET resource_tier_id = $3, addon_ids = $4, updated_at = now() "
                + "WHERE id = $1 AND " + MAY_USE + " AND status <> 'deleting' RETURNING " + COLUMNS)
                .execute(Tuple.of(id, userId, tierId, encode(addonIds))).map(rows -> Rows.first(rows, this::workspace));
    }

    public Uni<Void> delete(SqlClient client, UUID id) {
        return client.preparedQuery("DELETE FROM workspaces WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    /** Running workspaces with their plan (see {@link #plan}); for the idle check only. */
    public Uni<List<RunningWorkspace>> listRunning() {
        return pool.query("SELECT w.*, " + PLAN_OF + " AS plan_id FROM " + WITH_PLAN + " WHERE w.status = 'running'")
                .execute()
                .map(rows -> Rows.all(rows, row -> new RunningWorkspace(workspace(row), row.getString("plan_id"))));
    }

    /** Writes activity times; a time older than the stored one never replaces it. */
    public Uni<Void> recordActivity(Map<UUID, OffsetDateTime> lastActive) {
        if (lastActive.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<UUID> ids = List.copyOf(lastActive.keySet());
        UUID[] idArray = ids.toArray(UUID[]::new);
        OffsetDateTime[] times = ids.stream().map(lastActive::get).toArray(OffsetDateTime[]::new);
        return pool.preparedQuery("UPDATE workspaces w SET last_active_at = GREATEST(w.last_active_at, a.at) "
                + "FROM unnest($1::uuid[], $2::timestamptz[]) AS a(id, at) WHERE w.id = a.id")
                .execute(Tuple.of(idArray, times)).replaceWithVoid();
    }

    /** The plan whose idle timeout and lifetime apply to the workspace: its team's, else its owner's. */
    public Uni<String> plan(UUID id) {
        return pool.preparedQuery("SELECT " + PLAN_OF + " AS plan_id FROM " + WITH_PLAN + " WHERE w.id = $1")
                .execute(Tuple.of(id)).map(rows -> Rows.first(rows, row -> row.getString("plan_id")));
    }

    public record RunningWorkspace(Workspace workspace, String planId) {
    }

    public Uni<Map<WorkspaceStatus, Long>> countByStatus() {
        return pool.query("SELECT status, count(*) AS n FROM workspaces GROUP BY status").execute()
                .map(rows -> Rows.all(rows, row -> row).stream().collect(Collectors.toMap(
                        row -> WorkspaceStatus.fromWire(row.getString("status")), row -> row.getLong("n"))));
    }

    private Workspace workspace(Row r) {
        List<String> addons;
        try {
            addons = json.readValue(r.getString("addon_ids"), STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("workspace " + r.getUUID("id") + " has invalid addon_ids", e);
        }
        return new Workspace(r.getUUID("id"), r.getUUID("owner_id"), r.getString("name"),
                r.getString("resource_tier_id"), r.getString("flavor_id"), addons,
                WorkspaceStatus.fromWire(r.getString("status")), r.getString("status_reason"),
                r.getString("container_id"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"),
                r.getOffsetDateTime("last_active_at"), r.getOffsetDateTime("started_at"), r.getUUID("cloned_from"),
                r.getBoolean("cloning"), r.getString("password_hash") != null, r.getBoolean("ide_auth_managed"),
                r.getUUID("team_id"), r.getColumnIndex("owner_login") < 0 ? null : r.getString("owner_login"));
    }

    private String encode(List<String> addonIds) {
        try {
            return json.writeValueAsString(addonIds);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
