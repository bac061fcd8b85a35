package dev.arcx.orchestrator.webhook;

import dev.arcx.orchestrator.support.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * SQL over webhooks and their deliveries. Every query a user's request reaches takes the owner's id, so another
 * user's hook is simply not found.
 */
@ApplicationScoped
public class WebhookRepository {
    private static final String DELIVERY_COLUMNS = "d.id, d.webhook_id, d.event_id, d.event, d.status, d.attempts, "
            + "d.last_response_code, d.last_error, d.next_attempt_at, d.created_at, d.updated_at";

    private final Pool pool;

    WebhookRepository(Pool pool) {
        this.pool = pool;
    }

    Uni<CreatedWebhook> insert(SqlClient client, UUID id, UUID ownerId, String url, List<String> events, String secret) {
        return client.preparedQuery("INSERT INTO webhooks (id, owner_id, url, events, secret) VALUES ($1, $2, $3, $4, $5) "
                + "RETURNING created_at")
                .execute(Tuple.from(Arrays.asList(id, ownerId, url, events == null ? null : events.toArray(String[]::new),
                        secret)))
                .map(rows -> new CreatedWebhook(id, url, events, Rows.first(rows, r -> r.getOffsetDateTime("created_at")),
                        secret));
    }

    Uni<List<Webhook>> listOwned(UUID ownerId) {
        return pool.preparedQuery("SELECT * FROM webhooks WHERE owner_id = $1 ORDER BY created_at, id")
                .execute(Tuple.of(ownerId)).map(rows -> Rows.all(rows, WebhookRepository::webhook));
    }

    Uni<Webhook> findOwned(UUID ownerId, UUID id) {
        return pool.preparedQuery("SELECT * FROM webhooks WHERE id = $1 AND owner_id = $2")
                .execute(Tuple.of(id, ownerId)).map(rows -> Rows.first(rows, WebhookRepository::webhook));
    }

    /** True when the owner's hook existed; its deliveries go with it. */
    Uni<Boolean> deleteOwned(SqlClient client, UUID ownerId, UUID id) {
        return client.preparedQuery("DELETE FROM webhooks WHERE id = $1 AND owner_id = $2")
                .execute(Tuple.of(id, ownerId)).map(rows -> rows.rowCount() > 0);
    }

    /** The hook's latest deliveries, newest first; empty when the hook is not the owner's. */
    Uni<List<WebhookDelivery>> deliveriesOwned(UUID ownerId, UUID webhookId, int limit) {
        return pool.preparedQuery("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries d "
                + "JOIN webhooks w ON w.id = d.webhook_id WHERE w.id = $1 AND w.owner_id = $2 "
                + "ORDER BY d.created_at DESC, d.id LIMIT $3")
                .execute(Tuple.of(webhookId, ownerId, limit)).map(rows -> Rows.all(rows, WebhookRepository::delivery));
    }

    /**
     * A pending delivery per hook that wants {@code event} of the workspace's owner and, for a team workspace, of the
     * team's members at this moment; an event already queued is not again.
     */
    Uni<Integer> enqueue(UUID ownerId, UUID teamId, UUID eventId, String event, String payload) {
        return pool.preparedQuery("INSERT INTO webhook_deliveries (id, webhook_id, event_id, event, payload) "
                + "SELECT gen_random_uuid(), w.id, $2, $3, $4 FROM webhooks w "
                + "WHERE (w.owner_id = $1 OR w.owner_id IN (SELECT m.user_id FROM team_members m WHERE m.team_id = $5)) "
                + "AND (w.events IS NULL OR $3 = ANY (w.events)) "
                + "ON CONFLICT (webhook_id, event_id) DO NOTHING")
                .execute(Tuple.from(Arrays.asList(ownerId, eventId, event, payload, teamId)))
                .map(rows -> rows.rowCount());
    }

    /**
     * Takes up to {@code limit} due pending deliveries and pushes their next attempt {@code lease} ahead, so a
     * delivery is attempted by one worker at a time; if the process dies mid-attempt the lease runs out and the
     * delivery is due again.
     */
    Uni<List<DueDelivery>> claimDue(int limit, Duration lease) {
        return pool.preparedQuery("UPDATE webhook_deliveries d SET next_attempt_at = now() + $2 * interval '1 millisecond' "
                + "FROM webhooks w WHERE w.id = d.webhook_id AND d.id IN (SELECT id FROM webhook_deliveries "
                + "WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1 "
                + "FOR UPDATE SKIP LOCKED) RETURNING d.id, d.event, d.payload, d.attempts, w.url, w.secret")
                .execute(Tuple.of(limit, lease.toMillis()))
                .map(rows -> Rows.all(rows, r -> new DueDelivery(r.getUUID("id"), r.getString("event"),
                        r.getString("payload"), r.getInteger("attempts"), r.getString("url"), r.getString("secret"))));
    }

    Uni<Void> succeeded(UUID id, int responseCode) {
        return pool.preparedQuery("UPDATE webhook_deliveries SET status = 'succeeded', attempts = attempts + 1, "
                + "last_response_code = $2, last_error = NULL, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(id, responseCode)).replaceWithVoid();
    }

    /** Counts the failed attempt; the delivery is due again after {@code retryIn}, or failed for good when null. */
    Uni<Void> attemptFailed(UUID id, Integer responseCode, String error, Duration retryIn) {
        return pool.preparedQuery("UPDATE webhook_deliveries SET attempts = attempts + 1, last_response_code = $2, "
                + "last_error = $3, status = CASE WHEN $4::bigint IS NULL THEN 'failed' ELSE 'pending' END, "
                + "next_attempt_at = CASE WHEN $4::bigint IS NULL THEN next_attempt_at "
                + "ELSE now() + $4::bigint * interval '1 millisecond' END, updated_at = now() WHERE id = $1")
                .execute(Tuple.from(Arrays.asList(id, responseCode, error, retryIn == null ? null : retryIn.toMillis())))
                .replaceWithVoid();
    }

    private static Webhook webhook(Row r) {
        String[] events = r.getArrayOfStrings("events");
        return new Webhook(r.getUUID("id"), r.getString("url"), events == null ? null : List.of(events),
                r.getOffsetDateTime("created_at"));
    }

    private static WebhookDelivery delivery(Row r) {
        return new WebhookDelivery(r.getUUID("id"), r.getUUID("webhook_id"), r.getUUID("event_id"),
                r.getString("event"), r.getString("status"), r.getInteger("attempts"),
                r.getInteger("last_response_code"), r.getString("last_error"), r.getOffsetDateTime("next_attempt_at"),
                r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
    }

    /** What an attempt needs: the signed body, where to send it, and the hook's secret (never logged). */
    record DueDelivery(UUID id, String event, String payload, int attempts, String url, String secret) {
        @Override
        public String toString() {
            return "DueDelivery[" + id + ", " + event + ", attempt " + (attempts + 1) + "]";
        }
    }
}
