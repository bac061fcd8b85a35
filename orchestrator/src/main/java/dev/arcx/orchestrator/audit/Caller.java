package dev.arcx.orchestrator.audit;

import dev.arcx.common.events.AuditEvent;
import java.util.UUID;

/**
 * Who asks for an action, as the audit log records it.
 *
 * @param actor a user id, {@link AuditEvent#ADMIN} or {@link AuditEvent#SYSTEM}
 * @param sourceIp where the request came from; null for the system's own work
 */
public record Caller(String actor, String sourceIp) {
    public static final Caller SYSTEM = new Caller(AuditEvent.SYSTEM, null);

    public static Caller user(UUID userId, String sourceIp) {
        return new Caller(userId.toString(), sourceIp);
    }

    /** The calling user's id; only for callers that are users. */
    public UUID userId() {
        return UUID.fromString(actor);
    }
}
