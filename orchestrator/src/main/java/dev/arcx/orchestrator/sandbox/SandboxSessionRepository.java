package dev.arcx.orchestrator.sandbox;

import dev.arcx.orchestrator.support.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** SQL over sandbox sessions; user-facing lookups always take the owner. */
@ApplicationScoped
public class SandboxSessionRepository {
    private final Pool pool;

    SandboxSessionRepository(Pool pool) {
        this.pool = pool;
    }

    /** Inserts unless the owner already has {@code max} sessions; null when over the limit. */
    public Uni<SandboxSession> insertWithin(UUID id, UUID ownerId, String container, int max) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT id FROM users WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(ownerId))
                .flatMap(locked -> tx.preparedQuery("SELECT count(*) AS n FROM sandbox_sessions WHERE owner_id = $1")
                        .execute(Tuple.of(ownerId)))
                .flatMap(rows -> Rows.first(rows, r -> r.getInteger("n")) >= max ? Uni.createFrom().nullItem()
                        : tx.preparedQuery("INSERT INTO sandbox_sessions (id, owner_id, container) VALUES ($1, $2, $3) "
                                + "RETURNING *").execute(Tuple.of(id, ownerId, container))
                                .map(inserted -> Rows.first(inserted, SandboxSessionRepository::session))));
    }

    public Uni<SandboxSession> findOwned(UUID ownerId, UUID id) {
        return pool.preparedQuery("SELECT * FROM sandbox_sessions WHERE id = $1 AND owner_id = $2")
                .execute(Tuple.of(id, ownerId)).map(rows -> Rows.first(rows, SandboxSessionRepository::session));
    }

    public Uni<List<SandboxSession>> listOwned(UUID ownerId) {
        return pool.preparedQuery("SELECT * FROM sandbox_sessions WHERE owner_id = $1 ORDER BY created_at")
                .execute(Tuple.of(ownerId)).map(rows -> Rows.all(rows, SandboxSessionRepository::session));
    }

    /** For the janitor only. */
    public Uni<List<SandboxSession>> listAll() {
        return pool.query("SELECT * FROM sandbox_sessions").execute()
                .map(rows -> Rows.all(rows, SandboxSessionRepository::session));
    }

    public Uni<List<SandboxSession>> idleSince(Duration idle) {
        return pool.preparedQuery("SELECT * FROM sandbox_sessions WHERE last_used_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) idle.toSeconds())).map(rows -> Rows.all(rows, SandboxSessionRepository::session));
    }

    public Uni<Void> touch(UUID id) {
        return pool.preparedQuery("UPDATE sandbox_sessions SET last_used_at = now() WHERE id = $1")
                .execute(Tuple.of(id)).replaceWithVoid();
    }

    public Uni<Boolean> delete(UUID id) {
        return pool.preparedQuery("DELETE FROM sandbox_sessions WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.rowCount() > 0);
    }

    private static SandboxSession session(Row r) {
        return new SandboxSession(r.getUUID("id"), r.getUUID("owner_id"), r.getString("container"),
                r.getOffsetDateTime("created_at"), r.getOffsetDateTime("last_used_at"));
    }
}
