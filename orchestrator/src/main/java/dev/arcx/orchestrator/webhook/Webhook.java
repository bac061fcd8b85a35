package dev.arcx.orchestrator.webhook;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A registered hook as listed: never its secret. {@code events} null means every workspace event. */
public record Webhook(UUID id, String url, List<String> events, OffsetDateTime createdAt) {
}
