package dev.arcx.common.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.auth.RevokedSessions;
import dev.arcx.common.events.AuditEvent;
import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.SessionRevocation;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.events.WorkspaceEvent;
import dev.arcx.common.events.WorkspaceEventType;
import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.common.workspace.WorkspaceStatus;
import dev.arcx.testkit.TestSettings;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.Subscription;
import io.nats.client.api.PublishAck;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two installations on one real NATS server, each with the streams {@link NatsConnections} declares and the
 * subscriptions its services hold: what one publishes or asks never reaches the other, and each still hears its own.
 */
class InstallationsOnOneNatsTest {
    private static final String NATS = TestSettings.natsUrl();
    private static final Duration QUIET = Duration.ofMillis(500);

    @Test
    void eventsRequestsAndRevocationsStayWithinTheirInstallation() throws Exception {
        // Names of this run only: streams outlive the test on a shared server.
        String run = UUID.randomUUID().toString().substring(0, 8);
        Subjects a = new Subjects("t" + run + "-a");
        Subjects b = new Subjects("t" + run + "-b");
        try (Connection nats = Nats.connect(NATS)) {
            NatsConnections.ensureStream(nats, a, Duration.ofMinutes(5));
            NatsConnections.ensureStream(nats, b, Duration.ofMinutes(5));
            try {
                // Both declared side by side: their subjects do not overlap, which JetStream would refuse.
                for (Subjects s : List.of(a, b)) {
                    assertEquals(s.eventSubjects(), nats.jetStreamManagement().getStreamInfo(s.eventsStream())
                            .getConfiguration().getSubjects());
                    assertNotNull(nats.jetStreamManagement().getStreamInfo(s.revocationsStream()));
                }
                oneInstallationHearsOnlyItself(nats, a, b);
            } finally {
                for (Subjects s : List.of(a, b)) {
                    deleteStreams(nats, s);
                }
            }
        }
    }

    private static void oneInstallationHearsOnlyItself(Connection nats, Subjects a, Subjects b) throws Exception {
        // b's image-builder answers its ensure requests in its queue group; so does a's.
        AtomicInteger askedOfB = new AtomicInteger();
        Dispatcher builders = nats.createDispatcher();
        builders.subscribe(b.images().ensure(), b.images().ensureQueue(), request -> {
            askedOfB.incrementAndGet();
            nats.publish(request.getReplyTo(), "b".getBytes());
        });
        builders.subscribe(a.images().ensure(), a.images().ensureQueue(),
                request -> nats.publish(request.getReplyTo(), "a".getBytes()));
        Subscription workspaceEventsOfA = nats.subscribe(a.allWorkspaceEvents());
        Subscription auditOfA = nats.subscribe(a.allAuditEvents());
        Subscription workspaceEventsOfB = nats.subscribe(b.allWorkspaceEvents());
        Subscription auditOfB = nats.subscribe(b.allAuditEvents());
        Subscription imageEventsOfB = nats.subscribe(b.images().allEvents());
        Subscription revocationsOfB = nats.subscribe(b.sessionRevoked());
        nats.flush(Duration.ofSeconds(2));
        SessionClaims session = new SessionClaims(UUID.randomUUID(), UUID.randomUUID(), "someone",
                Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)));
        try (RevokedSessions revokedInA = RevokedSessions.follow(nats, a);
                RevokedSessions revokedInB = RevokedSessions.follow(nats, b)) {
            // a's orchestrator: a workspace event and a revocation into its streams, an audit entry on NATS core.
            WorkspaceEvent created = WorkspaceEvent.of(WorkspaceEventType.CREATED, UUID.randomUUID(),
                    UUID.randomUUID(), null, "isolated", WorkspaceStatus.CREATING, null);
            PublishAck stored = nats.jetStream().publish(a.workspace(created), EventCodec.encode(created),
                    PublishOptions.builder().messageId(created.eventId().toString()).build());
            assertEquals(a.eventsStream(), stored.getStream());
            SessionRevocation logout = SessionRevocation.ofSession(session.userId(), session.sessionId(), "logout");
            PublishAck revoked = nats.jetStream().publish(a.sessionRevoked(), EventCodec.encode(logout),
                    PublishOptions.builder().messageId(logout.eventId().toString()).build());
            assertEquals(a.revocationsStream(), revoked.getStream());
            AuditEvent audit = new AuditEvent(AuditEvent.CURRENT_VERSION, UUID.randomUUID(), AuditEvent.SYSTEM,
                    "workspace.create", "workspace", created.workspaceId().toString(), null, Instant.now(), Map.of());
            nats.publish(a.audit(audit.action()), EventCodec.encode(audit));
            // a's orchestrator asks a's image-builder, again and again: only a's answers.
            for (int i = 0; i < 20; i++) {
                Message reply = nats.request(a.images().ensure(), new byte[0], Duration.ofSeconds(5));
                assertNotNull(reply, "a's image-builder answers a's request");
                assertEquals("a", new String(reply.getData()));
            }

            // a hears its own …
            assertEquals(created, EventCodec.decode(workspaceEventsOfA.nextMessage(Duration.ofSeconds(5)).getData(),
                    WorkspaceEvent.class));
            assertEquals(audit.id(), EventCodec.decode(auditOfA.nextMessage(Duration.ofSeconds(5)).getData(),
                    AuditEvent.class).id());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!revokedInA.isRevoked(session) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(revokedInA.isRevoked(session), "a's services learn of a's logout");

            // … and b hears nothing of it.
            assertEquals(0, askedOfB.get(), "b's image-builder was never asked");
            for (Subscription ofB : List.of(workspaceEventsOfB, auditOfB, imageEventsOfB, revocationsOfB)) {
                assertNull(ofB.nextMessage(QUIET), "b heard on " + ofB.getSubject());
            }
            assertFalse(revokedInB.isRevoked(session), "a's logout is not b's");
            for (String stream : List.of(b.eventsStream(), b.revocationsStream())) {
                assertEquals(0, nats.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount(),
                        stream);
            }

            // b still works for its own.
            Message answer = nats.request(b.images().ensure(), new byte[0], Duration.ofSeconds(5));
            assertNotNull(answer);
            assertEquals("b", new String(answer.getData()));
            nats.jetStream().publish(b.sessionRevoked(), EventCodec.encode(logout),
                    PublishOptions.builder().messageId(logout.eventId().toString()).build());
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!revokedInB.isRevoked(session) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(revokedInB.isRevoked(session), "b's services learn of b's own logout");
        } finally {
            nats.closeDispatcher(builders);
        }
    }

    private static void deleteStreams(Connection nats, Subjects installation) throws IOException {
        for (String stream : List.of(installation.eventsStream(), installation.revocationsStream())) {
            try {
                nats.jetStreamManagement().deleteStream(stream);
            } catch (JetStreamApiException gone) {
                // Never declared: nothing to remove.
            }
        }
    }
}
