package dev.arcx.orchestrator.audit;

import dev.arcx.common.events.AuditEvent;
import dev.arcx.common.events.EventCodec;
import dev.arcx.orchestrator.support.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** SQL over the audit log: appends and filtered pages, nothing is ever updated. */
@ApplicationScoped
public class AuditRepository {
    private final Pool pool;

    AuditRepository(Pool pool) {
        this.pool = pool;
    }

    /** Details travel as text cast in SQL: a String bound to a jsonb parameter would be stored as a JSON string. */
    public Uni<Void> insert(SqlClient tx, AuditEvent e) {
        return tx.preparedQuery("INSERT INTO audit_log (id, actor, action, target_type, target_id, source_ip, "
                + "occurred_at, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb)")
                .execute(Tuple.from(Arrays.asList(e.id(), e.actor(), e.action(), e.targetType(), e.targetId(),
                        e.sourceIp(), OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC),
                        new String(EventCodec.encode(e.details()), StandardCharsets.UTF_8))))
                .replaceWithVoid();
    }

    /** Entries that are an action of their own open their transaction here. */
    public Pool pool() {
        return pool;
    }

    /** Up to {@code limit} entries matching every filter, newest first. */
    Uni<List<Stored>> page(AuditQuery q, int limit) {
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        filter(where, args, "actor = $", q.actor());
        filter(where, args, "starts_with(action, $)", q.actionPrefix());
        filter(where, args, "target_id = $", q.targetId());
        filter(where, args, "occurred_at >= $", q.from() == null ? null : OffsetDateTime.ofInstant(q.from(), ZoneOffset.UTC));
        filter(where, args, "occurred_at < $", q.to() == null ? null : OffsetDateTime.ofInstant(q.to(), ZoneOffset.UTC));
        filter(where, args, "seq < $", q.before());
        args.add(limit);
        String sql = "SELECT seq, id, actor, action, target_type, target_id, source_ip, occurred_at, "
                + "details::text AS details FROM audit_log" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY seq DESC LIMIT $" + args.size();
        return pool.preparedQuery(sql).execute(Tuple.from(args)).map(rows -> Rows.all(rows, AuditRepository::stored));
    }

    private static void filter(List<String> where, List<Object> args, String condition, Object value) {
        if (value != null) {
            args.add(value);
            where.add(condition.replace("$", "$" + args.size()));
        }
    }

    private static Stored stored(Row r) {
        return new Stored(r.getLong("seq"), new AuditEvent(AuditEvent.CURRENT_VERSION, r.getUUID("id"),
                r.getString("actor"), r.getString("action"), r.getString("target_type"), r.getString("target_id"),
                r.getString("source_ip"), r.getOffsetDateTime("occurred_at").toInstant(),
                details(r.getString("details"))));
    }

    /** Plain maps and lists, as the entry had them when recorded (not Vert.x JSON types). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(String json) {
        return EventCodec.decode(json.getBytes(StandardCharsets.UTF_8), Map.class);
    }

    /** An entry with its position in the log, which the next page's cursor names. */
    record Stored(long seq, AuditEvent event) {
    }
}
