package dev.arcx.orchestrator.account;

import dev.arcx.orchestrator.support.Rows;
import dev.arcx.orchestrator.user.UserRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** SQL of a user's erasure; every statement runs in the erasure's one transaction. */
@ApplicationScoped
public class ErasureRepository {
    /** The user's row, locked; null when there is none or it is already a tombstone. */
    Uni<Erasable> lock(SqlClient tx, UUID id) {
        return tx.preparedQuery("SELECT login FROM users WHERE id = $1 AND suspension_reason IS DISTINCT FROM $2 "
                + "FOR UPDATE").execute(Tuple.of(id, UserRepository.ERASED))
                .map(rows -> Rows.first(rows, row -> new Erasable(id, row.getString("login"))));
    }

    /** The user's teams with their role there, and how many members and owners each has. */
    Uni<List<Membership>> memberships(SqlClient tx, UUID id) {
        return tx.preparedQuery("SELECT t.id, t.name, m.role, "
                + "(SELECT count(*) FROM team_members a WHERE a.team_id = t.id) AS members, "
                + "(SELECT count(*) FROM team_members o WHERE o.team_id = t.id AND o.role = 'owner') AS owners "
                + "FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.user_id = $1 FOR UPDATE OF t")
                .execute(Tuple.of(id)).map(rows -> Rows.all(rows, row -> new Membership(row.getUUID("id"),
                        row.getString("name"), row.getString("role"), row.getInteger("members"),
                        row.getInteger("owners"))));
    }

    /** The user's workspaces, and every workspace of the teams in {@code soleTeams} (no one else can use them). */
    Uni<List<UUID>> workspaces(SqlClient tx, UUID id, List<UUID> soleTeams) {
        return tx.preparedQuery("SELECT id FROM workspaces WHERE owner_id = $1 OR team_id = ANY($2) ORDER BY id")
                .execute(Tuple.of(id, soleTeams.toArray(UUID[]::new)))
                .map(rows -> Rows.all(rows, row -> row.getUUID("id")));
    }

    /** Deletes what is the user's alone and answers how many rows each kind had. */
    Uni<Removed> removeOwned(SqlClient tx, UUID id, String login, List<UUID> soleTeams) {
        UUID[] teams = soleTeams.toArray(UUID[]::new);
        return count(tx, "DELETE FROM api_tokens WHERE user_id = $1", Tuple.of(id)).flatMap(tokens ->
                count(tx, "DELETE FROM sessions WHERE user_id = $1", Tuple.of(id)).flatMap(sessions ->
                count(tx, "DELETE FROM webhooks WHERE owner_id = $1", Tuple.of(id)).flatMap(webhooks ->
                count(tx, "DELETE FROM team_members WHERE user_id = $1", Tuple.of(id)).flatMap(memberships ->
                count(tx, "DELETE FROM team_invites WHERE accepted_at IS NULL AND declined_at IS NULL "
                        + "AND (lower(login) = lower($1) OR team_id = ANY($2))", Tuple.of(login, teams))
                .flatMap(invites -> count(tx, "DELETE FROM waitlist WHERE github_id = "
                        + "(SELECT github_id FROM users WHERE id = $1)", Tuple.of(id))
                .map(waitlist -> new Removed(tokens, sessions, webhooks, memberships)))))));
    }

    /** The row keeps its id (workspaces, teams and invites still point at it) and nothing that names a person. */
    Uni<Void> tombstone(SqlClient tx, UUID id, String tombstone) {
        return tx.preparedQuery("UPDATE users SET login = $2, name = NULL, email = NULL, avatar_url = NULL, "
                + "github_id = NULL, stripe_customer_id = NULL, invite_id = NULL, is_admin = false, "
                + "suspended_at = coalesce(suspended_at, now()), suspension_reason = $3, updated_at = now() "
                + "WHERE id = $1").execute(Tuple.of(id, tombstone, UserRepository.ERASED)).replaceWithVoid();
    }

    /**
     * The audit log's one rewrite: entries by or about the user name the tombstone instead of the user's id or
     * login, in the actor, the target and the details' {@code login}, {@code userId} and {@code ownerId}.
     */
    Uni<Integer> tombstoneAudit(SqlClient tx, UUID id, String login, String tombstone) {
        return count(tx, "UPDATE audit_log SET "
                + "actor = CASE WHEN actor = $1 THEN $3 ELSE actor END, "
                + "target_id = CASE WHEN target_id = $1 OR lower(target_id) = lower($2) THEN $3 ELSE target_id END, "
                + "details = details || jsonb_strip_nulls(jsonb_build_object("
                + "'login', CASE WHEN lower(details->>'login') = lower($2) THEN $3 END, "
                + "'userId', CASE WHEN details->>'userId' = $1 THEN $3 END, "
                + "'ownerId', CASE WHEN details->>'ownerId' = $1 THEN $3 END)) "
                + "WHERE actor = $1 OR target_id = $1 OR lower(target_id) = lower($2) "
                + "OR lower(details->>'login') = lower($2) OR details->>'userId' = $1 OR details->>'ownerId' = $1",
                Tuple.of(id.toString(), login, tombstone));
    }

    private static Uni<Integer> count(SqlClient tx, String sql, Tuple args) {
        return tx.preparedQuery(sql).execute(args).map(rows -> rows.rowCount());
    }

    record Erasable(UUID id, String login) {
    }

    record Membership(UUID teamId, String teamName, String role, int members, int owners) {
    }

    record Removed(int tokens, int sessions, int webhooks, int memberships) {
    }
}
