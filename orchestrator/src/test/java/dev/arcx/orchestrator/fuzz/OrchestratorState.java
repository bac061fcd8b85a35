package dev.arcx.orchestrator.fuzz;

import dev.arcx.testkit.TestDatabases;
import dev.arcx.testkit.TestSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fingerprint of what the orchestrator keeps, cheap enough to take around every request: the rows of its main
 * tables, the audit log's length (every change writes an entry), and what a refused change could have altered in
 * place (users' plan, role and suspension; teams' names and plans, members' roles, invites' answers; tokens' names,
 * expiry and revocation; webhooks' addresses and events; forwarded ports' sharing; admin invites' uses and
 * revocation; waitlist approvals; workspaces' settings, status and passwords; sandbox sessions).
 */
final class OrchestratorState implements AutoCloseable {
    private static final String QUERY = "SELECT concat_ws('/', "
            + "(SELECT count(*) FROM users), (SELECT count(*) FROM teams), (SELECT count(*) FROM team_members), "
            + "(SELECT count(*) FROM team_invites), (SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL), "
            + "(SELECT count(*) FROM webhooks), (SELECT count(*) FROM invites), (SELECT count(*) FROM waitlist), "
            + "(SELECT count(*) FROM workspaces), (SELECT count(*) FROM forwarded_ports), "
            + "(SELECT count(*) FROM audit_log), "
            + "(SELECT md5(coalesce(string_agg(concat_ws(',', id, plan_id, is_admin, suspended_at, suspension_reason),"
            + " ';' ORDER BY id), '')) FROM users), "
            + "(SELECT md5(coalesce(string_agg(concat_ws(',', id, name, plan_id), ';' ORDER BY id), '')) FROM teams), "
            + "(SELECT md5(coalesce(string_agg(concat_ws(',', id, name, resource_tier_id, addon_ids, status, team_id,"
            + " password_hash, ide_password_hash), ';' ORDER BY id), '')) FROM workspaces), "
            + "(SELECT md5(coalesce(string_agg(concat_ws(',', team_id, user_id, role), ';' ORDER BY team_id, user_id),"
            + " '')) FROM team_members), "
            + "(SELECT md5(coalesce(string_agg(concat_ws(',', id, accepted_at, declined_at), ';' ORDER BY id), ''))"
            + " FROM team_invites), "
            + "(SELECT md5(coalesce(string_agg(concat_ws(',', id, name, expires_at, revoked_at), ';' ORDER BY id), ''))"
            + " FROM api_tokens), "
            + "(SELECT md5(coalesce(string_agg(concat_ws(',', id, url, events), ';' ORDER BY id), '')) FROM webhooks), "
            + "(SELECT md5(coalesce(string_agg(concat_ws(',', workspace_id, port, share), ';' ORDER BY workspace_id,"
            + " port), '')) FROM forwarded_ports), "
            + "(SELECT md5(coalesce(string_agg(concat_ws(',', id, note, max_uses, uses, expires_at, revoked_at), ';'"
            + " ORDER BY id), '')) FROM invites), "
            + "(SELECT md5(coalesce(string_agg(concat_ws(',', id, approved_at), ';' ORDER BY id), '')) FROM waitlist), "
            + "(SELECT md5(coalesce(string_agg(id::text, ';' ORDER BY id), '')) FROM sandbox_sessions))";

    private final Connection db;

    OrchestratorState() throws SQLException {
        db = connect();
    }

    /** A connection to the tests' database. */
    static Connection connect() throws SQLException {
        return TestDatabases.connect(TestSettings.database());
    }

    String fingerprint() {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(QUERY)) {
            row.next();
            return row.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
