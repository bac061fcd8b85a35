package dev.arcx.orchestrator.audit;

import dev.arcx.common.events.AuditEvent;
import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.text.UserText;
import dev.arcx.orchestrator.support.QueryNumbers;
import io.nats.client.Connection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The audit log: every entry is stored in PostgreSQL and published on NATS core ({@code <installation>.audit.<action>}).
 * Any feature that changes something on a caller's behalf records it here in the transaction of the change itself:
 * an action whose entry cannot be stored does not happen (logins and refusals record the same way when they
 * arrive).
 */
@ApplicationScoped
public class AuditLog {
    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    private static final int MAX_PAGE = 200;
    /** Entries on a page when the caller asks for no size; the admin pages show it as their default. */
    public static final int DEFAULT_PAGE = 50;

    private final AuditRepository repository;
    private final Connection nats;
    private final Subjects subjects;

    AuditLog(AuditRepository repository, Connection nats, Subjects subjects) {
        this.repository = repository;
        this.nats = nats;
        this.subjects = subjects;
    }

    /**
     * Stores one entry inside the action's own transaction {@code tx}: the action and its entry commit together or
     * not at all, so no action stands without its record. A failure to store the entry fails {@code tx} and the
     * request with 503 (nothing changed). The entry is published once {@code tx} has committed, never for a change
     * that rolled back.
     */
    public Uni<Void> record(SqlClient tx, Caller caller, String action, String targetType, Object targetId,
            Map<String, Object> details) {
        // PostgreSQL keeps microseconds: the published event then carries exactly the stored time.
        var event = new AuditEvent(AuditEvent.CURRENT_VERSION, UUID.randomUUID(), UserText.storable(caller.actor()),
                action, targetType, UserText.storable(String.valueOf(targetId)), UserText.storable(caller.sourceIp()),
                Instant.now().truncatedTo(ChronoUnit.MICROS), storableDetails(details));
        return repository.insert(tx, event)
                .onFailure().transform(failure -> {
                    LOG.errorf(failure, "audit entry %s %s %s:%s could not be stored; the action is refused",
                            event.actor(), action, targetType, event.targetId());
                    return ApiException.unavailable("the action was not done: its audit entry "
                            + "could not be stored; try again later");
                })
                .invoke(() -> publishAfterCommit(tx, event));
    }

    /**
     * An entry that is the whole action (a refused sign-in, a wrong workspace password, a received webhook): stored
     * in a transaction of its own; the request fails when it cannot be stored, as for {@link #record(SqlClient,
     * Caller, String, String, Object, Map)}.
     */
    public Uni<Void> record(Caller caller, String action, String targetType, Object targetId,
            Map<String, Object> details) {
        return repository.pool().withTransaction(tx -> record(tx, caller, action, targetType, targetId, details));
    }

    /** Runs {@code action} in one transaction, so a change and its {@link #record entry} commit together. */
    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> action) {
        return repository.pool().withTransaction(action);
    }

    /** One page of the log, newest first; the filters are the admin API's query parameters, checked here. */
    public Uni<AuditPage> search(String actor, String actionPrefix, String targetId, String from, String to,
            String limit, String cursor) {
        AuditQuery query;
        int size;
        try {
            size = QueryNumbers.wholeNumber("limit", limit, DEFAULT_PAGE, 1, MAX_PAGE);
            query = new AuditQuery(blankToNull(actor), blankToNull(actionPrefix), blankToNull(targetId),
                    instant("from", from), instant("to", to), decodeCursor(cursor));
        } catch (ApiException e) {
            return Uni.createFrom().failure(e);
        }
        if (query.from() != null && query.to() != null && !query.from().isBefore(query.to())) {
            return Uni.createFrom().failure(ApiException.badRequest("from must be before to"));
        }
        // One more than asked tells whether an older page exists without a count.
        return repository.page(query, size + 1).map(rows -> {
            List<AuditRepository.Stored> shown = rows.subList(0, Math.min(size, rows.size()));
            String next = rows.size() > size ? encodeCursor(shown.getLast().seq()) : null;
            return new AuditPage(shown.stream().map(AuditRepository.Stored::event).toList(), next);
        });
    }

    private void publishAfterCommit(SqlClient tx, AuditEvent event) {
        Transaction transaction = tx instanceof SqlConnection connection ? connection.transaction() : null;
        if (transaction == null) {
            publish(event);
            return;
        }
        transaction.completion().subscribe().with(committed -> publish(event), rolledBack -> {
        });
    }

    /**
     * Details as PostgreSQL's json takes them whatever the caller's strings hold: it refuses NUL and lone UTF-16
     * surrogates, which become U+FFFD here (an entry that cannot be stored would refuse the action).
     */
    static Map<String, Object> storableDetails(Map<?, ?> details) {
        if (details == null) {
            return Map.of();
        }
        Map<String, Object> clean = new LinkedHashMap<>();
        details.forEach((key, value) -> clean.put(UserText.storable(String.valueOf(key)), storableValue(value)));
        return clean;
    }

    private static Object storableValue(Object value) {
        if (value instanceof String text) {
            return UserText.storable(text);
        }
        if (value instanceof Map<?, ?> map) {
            return storableDetails(map);
        }
        if (value instanceof Collection<?> items) {
            return items.stream().map(AuditLog::storableValue).toList();
        }
        return value;
    }

    private void publish(AuditEvent event) {
        try {
            nats.publish(subjects.audit(event.action()), EventCodec.encode(event));
        } catch (RuntimeException e) {
            LOG.warnf("audit entry %s was stored but not published: %s", event.id(), e.getMessage());
        }
    }


    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Instant instant(String name, String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    /** The cursor is opaque to clients so its content (today a sequence number) can change. */
    private static String encodeCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("s" + seq).getBytes(StandardCharsets.UTF_8));
    }

    private static Long decodeCursor(String cursor) {
        if (blankToNull(cursor) == null) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
            if (decoded.startsWith("s")) {
                return Long.parseLong(decoded.substring(1));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal below; NumberFormatException is an IllegalArgumentException too
        }
        throw ApiException.badRequest("cursor is not one this API answered");
    }
}
