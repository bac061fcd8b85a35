package dev.arcx.orchestrator.audit;

import dev.arcx.common.events.AuditEvent;
import java.util.List;

/** Entries newest first; {@code nextCursor} fetches the older ones and is null on the last page. */
public record AuditPage(List<AuditEvent> entries, String nextCursor) {
}
