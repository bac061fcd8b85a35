package dev.arcx.orchestrator.inbound;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** SQL over received webhook events, which make redeliveries harmless. */
@ApplicationScoped
public class InboundEvents {
    private final Pool pool;

    InboundEvents(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** Records the event in the transaction; false when it was received before (a redelivery or a replay). */
    public Uni<Boolean> claim(SqlClient tx, String source, String eventId, String type) {
        return tx.preparedQuery("INSERT INTO inbound_events (source, event_id, event_type) VALUES ($1, $2, $3) "
                + "ON CONFLICT DO NOTHING").execute(Tuple.of(source, eventId, type)).map(rows -> rows.rowCount() == 1);
    }
}
