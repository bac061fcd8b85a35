package dev.arcx.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * Session tokens that must stop working before they expire, published by the orchestrator (which keeps the sessions)
 * for the services that check session tokens by their signature alone. Either one sign-in ended ({@code sessionId}:
 * a logout), or every session of the user signed before {@code issuedBefore} (a suspension, a logout everywhere).
 *
 * @param version payload schema version; readers ignore fields added later
 * @param eventId unique per event
 * @param userId whose sessions
 * @param sessionId the one session that ended; null when all of the user's sessions up to {@code issuedBefore} did
 * @param issuedBefore with no {@code sessionId}: tokens signed before this instant are revoked
 * @param reason why, for logs ({@code logout}, {@code suspended}, ...)
 * @param occurredAt when it happened
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionRevocation(int version, UUID eventId, UUID userId, UUID sessionId, Instant issuedBefore,
        String reason, Instant occurredAt) {

    public static final int CURRENT_VERSION = 1;

    /** The one sign-in {@code sessionId} ended. */
    public static SessionRevocation ofSession(UUID userId, UUID sessionId, String reason) {
        Instant now = Instant.now();
        return new SessionRevocation(CURRENT_VERSION, UUID.randomUUID(), userId, sessionId, null, reason, now);
    }

    /** Every session of the user signed until now. */
    public static SessionRevocation ofUser(UUID userId, String reason) {
        Instant now = Instant.now();
        return new SessionRevocation(CURRENT_VERSION, UUID.randomUUID(), userId, null, now, reason, now);
    }
}
