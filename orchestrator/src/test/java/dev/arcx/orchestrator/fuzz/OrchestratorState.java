package dev.arcx.orchestrator.fuzz;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fingerprint of what the orchestrator keeps, cheap enough to take around every request: the rows of its main
 * tables, the audit log's length (every change writes an entry), and what a refused change could have altered in
 * place (users' plan, role and suspension; teams' names and plans; tokens' revocation; workspaces' settings).
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
            + "(SELECT md5(coalesce(string_agg(concat_ws(',', id, name, resource_tier_id, addon_ids), ';' ORDER BY id),"
            + " '')) FROM workspaces))";

    private final Connection db;

    OrchestratorState() throws SQLException {
        String url = "jdbc:postgresql://" + System.getenv().getOrDefault("ARCX_DB_HOST", "127.0.0.1") + ":"
                + System.getenv().getOrDefault("ARCX_DB_PORT", "5432") + "/"
                + System.getenv().getOrDefault("ARCX_TEST_DB_NAME", "arcx_test");
        db = DriverManager.getConnection(url, "arcx", "arcx");
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
