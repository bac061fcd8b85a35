package dev.arcx.orchestrator.webhook;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One event sent (or being sent) to one hook.
 *
 * @param status {@code pending} (an attempt is due at {@code nextAttemptAt}), {@code succeeded} or {@code failed}
 * @param lastResponseCode the receiver's last HTTP status; null when it never answered
 * @param lastError why the last attempt failed; null after a success
 */
public record WebhookDelivery(UUID id, UUID webhookId, UUID eventId, String event, String status, int attempts,
        Integer lastResponseCode, String lastError, OffsetDateTime nextAttemptAt, OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {
}
