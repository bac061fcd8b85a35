package dev.arcx.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One audit-log entry, as stored by the orchestrator, answered by its admin API and published on
 * {@link Subjects#audit}. Version 1 readers ignore fields added later.
 *
 * @param version payload schema version, {@link #CURRENT_VERSION} when written by this code
 * @param id unique per entry
 * @param actor a user id, {@link #ADMIN} or {@link #SYSTEM}
 * @param action what was done, dotted, e.g. {@code workspace.create}
 * @param targetType the kind of object acted on, e.g. {@code workspace}
 * @param targetId the object's id
 * @param sourceIp the caller's address; null for the system's own moves
 * @param occurredAt when it happened
 * @param details action-specific facts; never a secret
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuditEvent(int version, UUID id, String actor, String action, String targetType, String targetId,
        String sourceIp, Instant occurredAt, Map<String, Object> details) {

    public static final int CURRENT_VERSION = 1;
    public static final String ADMIN = "admin";
    public static final String SYSTEM = "system";
}
