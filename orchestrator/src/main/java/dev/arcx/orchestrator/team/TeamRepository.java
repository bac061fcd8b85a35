package dev.arcx.orchestrator.team;

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
 * SQL over teams, their members and invites. Queries a user's request reaches take the user's id and find only the
 * user's teams (as a member), so a stranger's request finds nothing. Who may use a team's workspaces is the
 * database's {@code may_use_workspace}, which reads {@code team_members}.
 */
@ApplicationScoped
public class TeamRepository {
    private static final String TEAM_OF_MEMBER = "SELECT t.*, m.role, "
            + "(SELECT count(*) FROM team_members c WHERE c.team_id = t.id) AS member_count FROM teams t "
            + "JOIN team_members m ON m.team_id = t.id AND m.user_id = $1";
    private static final String PENDING = "accepted_at IS NULL AND declined_at IS NULL";
    /** {@link #PENDING} for the invites of {@link #invites}. */
    private static final String PENDING_I = "i.accepted_at IS NULL AND i.declined_at IS NULL";

    private static final String ADMIN_VIEW = "SELECT t.id, t.name, t.slug, t.plan_id, t.created_by, t.created_at, "
            + "(SELECT count(*) FROM team_members m WHERE m.team_id = t.id) AS members, "
            + "(SELECT count(*) FROM workspaces w WHERE w.team_id = t.id) AS workspaces FROM teams t";

    private final Pool pool;

    TeamRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    public Uni<Void> insert(SqlClient tx, UUID id, String name, String slug, UUID createdBy) {
        return tx.preparedQuery("INSERT INTO teams (id, name, slug, created_by) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(id, name, slug, createdBy)).replaceWithVoid();
    }

    public Uni<Void> addMember(SqlClient tx, UUID teamId, UUID userId, String role) {
        return tx.preparedQuery("INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, $3) "
                + "ON CONFLICT (team_id, user_id) DO NOTHING").execute(Tuple.of(teamId, userId, role))
                .replaceWithVoid();
    }

    /** The user's teams with the user's role in each. */
    public Uni<List<TeamView>> listForUser(UUID userId) {
        return pool.preparedQuery(TEAM_OF_MEMBER + " ORDER BY t.created_at, t.name").execute(Tuple.of(userId))
                .map(rows -> Rows.all(rows, TeamRepository::team));
    }

    /** The team with the user's role; null when the team does not exist or the user is not a member. */
    public Uni<TeamView> findForMember(SqlClient client, UUID userId, UUID teamId) {
        return client.preparedQuery(TEAM_OF_MEMBER + " WHERE t.id = $2").execute(Tuple.of(userId, teamId))
                .map(rows -> Rows.first(rows, TeamRepository::team));
    }

    public Uni<TeamView> findForMember(UUID userId, UUID teamId) {
        return findForMember(pool, userId, teamId);
    }

    /**
     * Locks the team's row for the rest of the transaction: changes of its members' roles, removals, its deletion
     * and creations of its workspaces are serialised, so "the last owner" and "no workspaces" stay true until commit.
     */
    public Uni<Void> lock(SqlClient tx, UUID teamId) {
        return tx.preparedQuery("SELECT 1 FROM teams WHERE id = $1 FOR UPDATE").execute(Tuple.of(teamId))
                .replaceWithVoid();
    }

    /**
     * Locks the team (see {@link #lock}) and answers how many workspaces its plan allows; null when the team does
     * not exist or the user is not a member.
     */
    public Uni<Integer> lockAndGetWorkspaceAllowance(SqlClient tx, UUID teamId, UUID userId) {
        return tx.preparedQuery("SELECT p.max_workspaces FROM teams t JOIN plans p ON p.id = t.plan_id "
                + "JOIN team_members m ON m.team_id = t.id AND m.user_id = $2 WHERE t.id = $1 FOR UPDATE OF t")
                .execute(Tuple.of(teamId, userId)).map(rows -> Rows.first(rows, row -> row.getInteger("max_workspaces")));
    }

    public Uni<List<TeamView.Member>> members(UUID teamId) {
        return pool.preparedQuery("SELECT m.user_id, u.login, m.role, m.joined_at FROM team_members m "
                + "JOIN users u ON u.id = m.user_id WHERE m.team_id = $1 ORDER BY m.joined_at, u.login")
                .execute(Tuple.of(teamId)).map(rows -> Rows.all(rows, row -> new TeamView.Member(
                        row.getUUID("user_id"), row.getString("login"), row.getString("role"),
                        row.getOffsetDateTime("joined_at"))));
    }

    /** The member's role; null when the user is not a member. */
    public Uni<String> role(SqlClient tx, UUID teamId, UUID userId) {
        return tx.preparedQuery("SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2")
                .execute(Tuple.of(teamId, userId)).map(rows -> Rows.first(rows, row -> row.getString("role")));
    }

    public Uni<Integer> countOwners(SqlClient tx, UUID teamId) {
        return tx.preparedQuery("SELECT count(*) AS n FROM team_members WHERE team_id = $1 AND role = 'owner'")
                .execute(Tuple.of(teamId)).map(rows -> Rows.first(rows, row -> row.getInteger("n")));
    }

    public Uni<Void> setRole(SqlClient tx, UUID teamId, UUID userId, String role) {
        return tx.preparedQuery("UPDATE team_members SET role = $3 WHERE team_id = $1 AND user_id = $2")
                .execute(Tuple.of(teamId, userId, role)).replaceWithVoid();
    }

    public Uni<Void> removeMember(SqlClient tx, UUID teamId, UUID userId) {
        return tx.preparedQuery("DELETE FROM team_members WHERE team_id = $1 AND user_id = $2")
                .execute(Tuple.of(teamId, userId)).replaceWithVoid();
    }

    /** Whether a user of that login (any case) is a member already. */
    public Uni<Boolean> isMemberLogin(UUID teamId, String login) {
        return pool.preparedQuery("SELECT 1 FROM team_members m JOIN users u ON u.id = m.user_id "
                + "WHERE m.team_id = $1 AND lower(u.login) = lower($2)").execute(Tuple.of(teamId, login))
                .map(rows -> rows.size() > 0);
    }

    /** Every workspace of the team, in any state (one being deleted still refers to it). */
    public Uni<Integer> countWorkspaces(SqlClient tx, UUID teamId) {
        return tx.preparedQuery("SELECT count(*) AS n FROM workspaces WHERE team_id = $1").execute(Tuple.of(teamId))
                .map(rows -> Rows.first(rows, row -> row.getInteger("n")));
    }

    /** False when there is no such team. */
    public Uni<Boolean> rename(SqlClient client, UUID teamId, String name) {
        return client.preparedQuery("UPDATE teams SET name = $2 WHERE id = $1").execute(Tuple.of(teamId, name))
                .map(rows -> rows.rowCount() > 0);
    }

    /** False when there is no such team; fails (foreign key) for an unknown plan. */
    public Uni<Boolean> setPlan(SqlClient client, UUID teamId, String planId) {
        return client.preparedQuery("UPDATE teams SET plan_id = $2 WHERE id = $1").execute(Tuple.of(teamId, planId))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Every team, for the administrator: name, plan, how many members and workspaces; no caller's role. */
    public Uni<List<AdminTeamView>> listAll() {
        return pool.query(ADMIN_VIEW + " ORDER BY t.created_at, t.id").execute()
                .map(rows -> Rows.all(rows, TeamRepository::adminView));
    }

    /** One team as {@link #listAll} shows it; null when there is no such team. */
    public Uni<AdminTeamView> findAdminView(UUID teamId) {
        return pool.preparedQuery(ADMIN_VIEW + " WHERE t.id = $1").execute(Tuple.of(teamId))
                .map(rows -> Rows.first(rows, TeamRepository::adminView));
    }

    private static AdminTeamView adminView(Row row) {
        return new AdminTeamView(row.getUUID("id"), row.getString("name"), row.getString("slug"),
                row.getString("plan_id"), row.getUUID("created_by"), row.getOffsetDateTime("created_at"),
                row.getInteger("members"), row.getInteger("workspaces"));
    }

    /** Deletes the team; its members and invites go with it. */
    public Uni<Void> delete(SqlClient tx, UUID teamId) {
        return tx.preparedQuery("DELETE FROM teams WHERE id = $1").execute(Tuple.of(teamId)).replaceWithVoid();
    }

    public Uni<TeamView.Invite> insertInvite(SqlClient client, UUID id, UUID teamId, String login, UUID invitedBy) {
        return client.preparedQuery("WITH i AS (INSERT INTO team_invites (id, team_id, login, invited_by) "
                + "VALUES ($1, $2, $3, $4) RETURNING *) " + invites("i"))
                .execute(Tuple.of(id, teamId, login, invitedBy)).map(rows -> Rows.first(rows, TeamRepository::invite));
    }

    /** The team's invites not yet answered. */
    public Uni<List<TeamView.Invite>> pendingInvites(UUID teamId) {
        return pool.preparedQuery(invites("team_invites") + " WHERE i.team_id = $1 AND " + PENDING_I
                        + " ORDER BY i.created_at")
                .execute(Tuple.of(teamId)).map(rows -> Rows.all(rows, TeamRepository::invite));
    }

    /** Invites not yet answered addressed to the login (any case). */
    public Uni<List<TeamView.Invite>> pendingInvitesFor(String login) {
        return pool.preparedQuery(invites("team_invites") + " WHERE lower(i.login) = lower($1) AND " + PENDING_I
                        + " ORDER BY i.created_at")
                .execute(Tuple.of(login)).map(rows -> Rows.all(rows, TeamRepository::invite));
    }

    /** Deletes the team's invite if it is not yet answered; true when it was. */
    public Uni<Boolean> deletePendingInvite(SqlClient client, UUID teamId, UUID inviteId) {
        return client.preparedQuery("DELETE FROM team_invites WHERE id = $1 AND team_id = $2 AND " + PENDING)
                .execute(Tuple.of(inviteId, teamId)).map(rows -> rows.rowCount() > 0);
    }

    /**
     * Accepts or declines an invite addressed to the login (any case) that is not yet answered; the invite's team,
     * or null when there is no such invite.
     */
    public Uni<UUID> answerInvite(SqlClient tx, UUID inviteId, String login, boolean accept) {
        String column = accept ? "accepted_at" : "declined_at";
        return tx.preparedQuery("UPDATE team_invites SET " + column + " = now() WHERE id = $1 "
                        + "AND lower(login) = lower($2) AND " + PENDING + " RETURNING team_id")
                .execute(Tuple.of(inviteId, login)).map(rows -> Rows.first(rows, row -> row.getUUID("team_id")));
    }

    private static String invites(String source) {
        return "SELECT i.id, i.team_id, t.name AS team_name, i.login, i.invited_by, i.created_at FROM " + source
                + " i JOIN teams t ON t.id = i.team_id";
    }

    private static TeamView team(Row r) {
        return new TeamView(r.getUUID("id"), r.getString("name"), r.getString("slug"), r.getString("plan_id"),
                r.getUUID("created_by"), r.getOffsetDateTime("created_at"), r.getString("role"),
                r.getInteger("member_count"), null, null);
    }

    private static TeamView.Invite invite(Row r) {
        return new TeamView.Invite(r.getUUID("id"), r.getUUID("team_id"), r.getString("team_name"),
                r.getString("login"), r.getUUID("invited_by"), r.getOffsetDateTime("created_at"));
    }
}
