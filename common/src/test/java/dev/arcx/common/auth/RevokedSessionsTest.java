package dev.arcx.common.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.SessionRevocation;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.nats.NatsConnections;
import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.testkit.TestSettings;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Revocations through the real NATS JetStream: followed live, and replayed by a follower that starts later. */
class RevokedSessionsTest {
    private static final String NATS = TestSettings.natsUrl();
    private static final Subjects SUBJECTS = new Subjects(TestSettings.installation());

    @Test
    void aLogoutEndsOneSessionAndASuspensionEveryEarlierOneForNowAndForLaterFollowers() throws Exception {
        UUID user = UUID.randomUUID();
        Instant signedIn = Instant.now().minusSeconds(60);
        SessionClaims first = claims(user, signedIn);
        SessionClaims second = claims(user, signedIn);
        SessionClaims someoneElse = claims(UUID.randomUUID(), signedIn);
        try (Connection nats = Nats.connect(NATS)) {
            NatsConnections.ensureStream(nats, SUBJECTS, Duration.ofDays(7));
            try (RevokedSessions live = RevokedSessions.follow(nats, SUBJECTS)) {
                assertFalse(live.isRevoked(first));
                publish(nats, SessionRevocation.ofSession(user, first.sessionId(), "logout"));
                await(() -> live.isRevoked(first));
                assertFalse(live.isRevoked(second), "a logout ends its own session only");

                publish(nats, SessionRevocation.ofUser(user, "suspended"));
                await(() -> live.isRevoked(second));
                assertFalse(live.isRevoked(someoneElse));
                SessionClaims later = claims(user, Instant.now().plusSeconds(2));
                assertFalse(live.isRevoked(later), "a sign-in after the suspension was lifted is good");
            }
            // A service that starts afterwards replays the stream and knows both.
            try (RevokedSessions restarted = RevokedSessions.follow(nats, SUBJECTS)) {
                await(() -> restarted.isRevoked(first) && restarted.isRevoked(second));
                assertFalse(restarted.isRevoked(someoneElse));
            }
        }
    }

    private static SessionClaims claims(UUID user, Instant issuedAt) {
        return new SessionClaims(UUID.randomUUID(), user, "someone", issuedAt, issuedAt.plus(Duration.ofDays(1)));
    }

    private static void publish(Connection nats, SessionRevocation revocation) throws Exception {
        nats.jetStream().publish(SUBJECTS.sessionRevoked(), EventCodec.encode(revocation),
                PublishOptions.builder().messageId(revocation.eventId().toString()).build());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s");
            }
            Thread.sleep(50);
        }
        assertTrue(condition.getAsBoolean());
    }
}
