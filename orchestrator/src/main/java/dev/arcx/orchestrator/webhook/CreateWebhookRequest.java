package dev.arcx.orchestrator.webhook;

import java.util.List;

/** Body of {@code POST /api/webhooks}; no events means every workspace event. */
public record CreateWebhookRequest(String url, List<String> events) {
}
