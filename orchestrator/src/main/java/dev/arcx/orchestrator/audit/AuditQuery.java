package dev.arcx.orchestrator.audit;

import java.time.Instant;

/**
 * The filters of one page of the audit log, validated; null means "any".
 *
 * @param actionPrefix the start of the action: {@code workspace.} matches {@code workspace.create}
 * @param before only entries older than this sequence number (the cursor), newest first
 */
record AuditQuery(String actor, String actionPrefix, String targetId, Instant from, Instant to, Long before) {
}
