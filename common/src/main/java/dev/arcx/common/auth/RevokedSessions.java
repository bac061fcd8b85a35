package dev.arcx.common.auth;

import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.SessionRevocation;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.tokens.SessionClaims;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The session tokens revoked before their expiry, for a service that verifies session tokens by signature alone: it
 * replays its installation's revocations stream ({@code ARCX_REVOCATIONS}) from its start (which holds every
 * revocation a live token can be subject to) and then follows it, so a logout or a suspension reaches it within
 * moments, across its restarts.
 */
public final class RevokedSessions implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RevokedSessions.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    /** The user's sessions signed at or before this second are revoked. */
    private final Map<UUID, Long> userRevokedUpTo = new ConcurrentHashMap<>();
    /** Single sessions that ended, with when (to forget them once no token of theirs can be valid). */
    private final Map<UUID, Instant> endedSessions = new ConcurrentHashMap<>();
    private final Connection nats;
    private final Subjects subjects;
    private volatile Dispatcher dispatcher;
    private volatile boolean closed;

    private RevokedSessions(Connection nats, Subjects subjects) {
        this.nats = nats;
        this.subjects = subjects;
    }

    /**
     * Starts following the revocations of the installation of {@code subjects} on {@code nats}. While the stream
     * cannot be subscribed to yet (NATS down, the stream not declared yet) it retries in the background.
     */
    public static RevokedSessions follow(Connection nats, Subjects subjects) {
        RevokedSessions revoked = new RevokedSessions(nats, subjects);
        Thread.ofVirtual().name("arcx-revocations").start(revoked::subscribeUntilDone);
        return revoked;
    }

    /** Whether the token of these (validly signed, unexpired) claims was revoked. */
    public boolean isRevoked(SessionClaims claims) {
        if (endedSessions.containsKey(claims.sessionId())) {
            return true;
        }
        Long upTo = userRevokedUpTo.get(claims.userId());
        // Tokens carry whole seconds: one signed in the second of the revocation is revoked too.
        return upTo != null && claims.issuedAt().getEpochSecond() <= upTo;
    }

    /** Applies one revocation (the stream's, or a test's). */
    public void apply(SessionRevocation revocation) {
        if (revocation.sessionId() != null) {
            endedSessions.put(revocation.sessionId(), revocation.occurredAt());
        } else if (revocation.issuedBefore() != null) {
            userRevokedUpTo.merge(revocation.userId(), revocation.issuedBefore().getEpochSecond(), Math::max);
        }
        Instant forgetBefore = Instant.now().minus(Subjects.REVOCATION_RETENTION);
        endedSessions.values().removeIf(at -> at.isBefore(forgetBefore));
    }

    private void subscribeUntilDone() {
        while (!closed && dispatcher == null) {
            Dispatcher subscribing = nats.createDispatcher();
            try {
                nats.jetStream().subscribe(subjects.sessionRevoked(), subscribing, this::onMessage, false,
                        PushSubscribeOptions.builder().stream(subjects.revocationsStream()).ordered(true)
                                .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All)
                                        .build())
                                .build());
                dispatcher = subscribing;
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                nats.closeDispatcher(subscribing);
                LOG.debugf("revocations not followed yet (%s); retrying", e.getMessage());
                try {
                    Thread.sleep(RETRY);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void onMessage(Message message) {
        try {
            apply(EventCodec.decode(message.getData(), SessionRevocation.class));
        } catch (RuntimeException e) {
            LOG.warnf("ignoring an unreadable session revocation: %s", e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        Dispatcher open = dispatcher;
        if (open != null) {
            nats.closeDispatcher(open);
        }
    }
}
