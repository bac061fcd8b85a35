package dev.arcx.orchestrator.webhook;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The answer to a registration: the only time the signing secret is ever shown. */
public record CreatedWebhook(UUID id, String url, List<String> events, OffsetDateTime createdAt, String secret) {
}
