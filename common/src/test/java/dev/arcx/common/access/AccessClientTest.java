package dev.arcx.common.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.testkit.process.LocalProcesses;
import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client on a real NATS server, with a responder of the test's own standing in for the orchestrator (its
 * database answers are the orchestrator's tests'): what it keeps, for how long, what drops it, and what it does
 * without an answer.
 */
class AccessClientTest {
    private static final String NATS = System.getenv().getOrDefault("ARCX_NATS_URL", "nats://127.0.0.1:4222");
    /** Generous: the machine may be busy, and these tests are about what is kept, not how fast. */
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final AccessClient.Settings SETTINGS = new AccessClient.Settings(Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(5), 100);

    /** An installation of this run only: nothing else on the shared server hears it or answers it. */
    private final Subjects subjects = new Subjects("t" + UUID.randomUUID().toString().substring(0, 8) + "-access");
    private final AtomicLong now = new AtomicLong();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private Connection nats;

    @BeforeEach
    void connect() throws Exception {
        nats = Nats.connect(NATS);
        opened.add(nats);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable each : opened.reversed()) {
            each.close();
        }
    }

    @Test
    void answersAreKeptForTheirTtlDenialsForTheShorterOne() throws Exception {
        UUID user = UUID.randomUUID();
        UUID mine = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        Responder orchestrator = respond(nats, subjects, check -> check.workspaceId().equals(mine)
                ? AccessAnswer.allowed(WorkspaceRole.OWNER) : AccessAnswer.denied());
        AccessClient client = client(nats, subjects, SETTINGS);

        assertEquals(AccessAnswer.allowed(WorkspaceRole.OWNER), answer(client, user, mine));
        assertEquals(AccessAnswer.denied(), answer(client, user, theirs));
        for (int i = 0; i < 10; i++) {
            assertTrue(answer(client, user, mine).allowed());
            assertFalse(answer(client, user, theirs).allowed());
        }
        assertEquals(2, orchestrator.asked.get(), "asked once per user and workspace");
        assertEquals(2, client.questionsAsked());

        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertFalse(answer(client, user, theirs).allowed());
        assertTrue(answer(client, user, mine).allowed());
        assertEquals(3, orchestrator.asked.get(), "the denial expired after 5 s, the allowed answer did not");

        now.addAndGet(Duration.ofSeconds(25).toNanos());
        assertTrue(answer(client, user, mine).allowed());
        assertEquals(4, orchestrator.asked.get(), "the allowed answer expired after 30 s");
    }

    @Test
    void aNarrowingDropsTheAnswersOfItsUserOrItsWorkspaceOnly() throws Exception {
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        UUID one = UUID.randomUUID();
        UUID two = UUID.randomUUID();
        Responder orchestrator = respond(nats, subjects, check -> AccessAnswer.allowed(WorkspaceRole.TEAM_MEMBER));
        AccessClient client = client(nats, subjects, SETTINGS);
        for (UUID user : List.of(alice, bob)) {
            for (UUID workspace : List.of(one, two)) {
                answer(client, user, workspace);
            }
        }
        assertEquals(4, client.size());

        // Announced by another connection, as the orchestrator does.
        try (Connection announcer = Nats.connect(NATS)) {
            announcer.publish(subjects.accessNarrowed(), EventCodec.encode(AccessNarrowed.forUser(alice)));
            await(() -> client.size() == 2, "alice's answers dropped");
            answer(client, bob, one);
            answer(client, bob, two);
            assertEquals(4, orchestrator.asked.get(), "bob's answers stayed");
            answer(client, alice, one);
            assertEquals(5, orchestrator.asked.get(), "alice is asked about again");

            announcer.publish(subjects.accessNarrowed(), EventCodec.encode(AccessNarrowed.forWorkspace(one)));
            await(() -> client.size() == 1, "the answers about workspace one dropped");
            answer(client, bob, two);
            assertEquals(5, orchestrator.asked.get(), "bob's answer about workspace two stayed");
            answer(client, bob, one);
            assertEquals(6, orchestrator.asked.get());

            // Something unreadable on the subject: whose access narrowed is unknown, so nothing kept is trusted.
            announcer.publish(subjects.accessNarrowed(), "{\"userId\":".getBytes());
            await(() -> client.size() == 0, "everything dropped after an unreadable announcement");
        }
    }

    @Test
    void anAnswerAskedBeforeANarrowingIsHandedOverButNotKept() throws Exception {
        UUID user = UUID.randomUUID();
        UUID workspace = UUID.randomUUID();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch received = new CountDownLatch(1);
        Responder orchestrator = respond(nats, subjects, check -> {
            received.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return AccessAnswer.allowed(WorkspaceRole.TEAM_OWNER);
        });
        AccessClient client = client(nats, subjects, SETTINGS);
        CompletableFuture<AccessAnswer> first = client.check(user, workspace);
        // A burst about the same user and workspace waits for the one question on its way.
        List<CompletableFuture<AccessAnswer>> burst = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            burst.add(client.check(user, workspace));
        }
        assertTrue(received.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        // The orchestrator read the membership before the removal committed; the announcement comes first.
        client.narrowed(AccessNarrowed.forUser(user));
        release.countDown();
        assertEquals(WorkspaceRole.TEAM_OWNER, first.get(WAIT.toSeconds(), TimeUnit.SECONDS).role());
        for (CompletableFuture<AccessAnswer> joined : burst) {
            assertTrue(joined.get(WAIT.toSeconds(), TimeUnit.SECONDS).allowed());
        }
        assertEquals(1, orchestrator.asked.get(), "twenty-one checks, one question");
        assertEquals(0, client.size(), "an answer that may predate the narrowing is not kept");
        answer(client, user, workspace);
        assertEquals(2, orchestrator.asked.get(), "asked again after the narrowing");
        assertEquals(1, client.size());
    }

    @Test
    void anotherInstallationIsNeitherAskedNorHeard() throws Exception {
        Subjects other = new Subjects(subjects.installation() + "-other");
        Responder ours = respond(nats, subjects, check -> AccessAnswer.allowed(WorkspaceRole.OWNER));
        Responder theirs = respond(nats, other, check -> AccessAnswer.denied());
        AccessClient client = client(nats, subjects, SETTINGS);
        UUID user = UUID.randomUUID();
        UUID workspace = UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            client.forgetAll();
            assertTrue(answer(client, user, workspace).allowed());
        }
        assertEquals(5, ours.asked.get());
        assertEquals(0, theirs.asked.get(), "the other installation's responder was never asked");

        Subscription ownAnnouncements = nats.subscribe(subjects.accessNarrowed());
        nats.publish(other.accessNarrowed(), EventCodec.encode(AccessNarrowed.forUser(user)));
        nats.publish(subjects.accessNarrowed(), EventCodec.encode(AccessNarrowed.forUser(UUID.randomUUID())));
        // Ours arrives after theirs would have: by then theirs was ignored.
        assertTrue(ownAnnouncements.nextMessage(WAIT) != null);
        Thread.sleep(200);
        assertEquals(1, client.size(), "another installation's narrowing dropped nothing here");
    }

    @Test
    void withoutAnAnswerTheCheckFailsAndNothingIsKept() throws Exception {
        AccessClient client = client(nats, subjects, new AccessClient.Settings(Duration.ofMillis(300),
                Duration.ofSeconds(30), Duration.ofSeconds(5), 100));
        UUID user = UUID.randomUUID();
        UUID workspace = UUID.randomUUID();
        // Nobody answers on this installation's subject.
        ExecutionException none = assertThrows(ExecutionException.class,
                () -> client.check(user, workspace).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(AccessClient.Unavailable.class, none.getCause());

        // A responder that is too slow is no answer either.
        Responder slow = respond(nats, subjects, check -> {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return AccessAnswer.allowed(WorkspaceRole.OWNER);
        });
        ExecutionException late = assertThrows(ExecutionException.class,
                () -> client.check(user, workspace).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(AccessClient.Unavailable.class, late.getCause());
        slow.close();

        // One that refuses the request (it could not read it, or its database failed).
        respond(nats, subjects, check -> AccessAnswer.error("the database did not answer"));
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> client.check(user, workspace).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(AccessClient.Unavailable.class, refused.getCause());
        assertTrue(refused.getCause().getMessage().contains("the database did not answer"));
        assertEquals(0, client.size());
        assertThrows(NullPointerException.class, () -> client.check(null, workspace));
    }

    @Test
    void atMostMaxEntriesTheLeastRecentlyUsedGoFirst() throws Exception {
        Responder orchestrator = respond(nats, subjects, check -> AccessAnswer.allowed(WorkspaceRole.OWNER));
        AccessClient client = client(nats, subjects, new AccessClient.Settings(Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(5), 3));
        UUID user = UUID.randomUUID();
        List<UUID> workspaces = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        for (UUID workspace : workspaces.subList(0, 3)) {
            answer(client, user, workspace);
        }
        answer(client, user, workspaces.get(0));
        answer(client, user, workspaces.get(3));
        assertEquals(3, client.size());
        assertEquals(4, orchestrator.asked.get());
        answer(client, user, workspaces.get(0));
        answer(client, user, workspaces.get(2));
        assertEquals(4, orchestrator.asked.get(), "the most recently used stayed");
        answer(client, user, workspaces.get(1));
        assertEquals(5, orchestrator.asked.get(), "the least recently used went");
    }

    @Test
    void aReconnectionDropsEverythingKept() throws Exception {
        int port = LocalProcesses.freePort();
        Process server = startServer(port);
        // Connected before the server listens, a jnats connection goes through its reconnect-on-connect path, which
        // now and then came up unable to flush; the reconnection under test is the one after a working connection.
        LocalProcesses.awaitListening(port, 20);
        try {
            Options options = new Options.Builder().server("nats://127.0.0.1:" + port).maxReconnects(-1)
                    .reconnectWait(Duration.ofMillis(100)).connectionTimeout(Duration.ofSeconds(2)).build();
            Connection own = Nats.connectReconnectOnConnect(options);
            opened.add(own);
            Connection responding = Nats.connectReconnectOnConnect(options);
            opened.add(responding);
            await(() -> own.getStatus() == Connection.Status.CONNECTED
                    && responding.getStatus() == Connection.Status.CONNECTED, "connected");
            Responder orchestrator = respond(responding, subjects, check -> AccessAnswer.allowed(WorkspaceRole.OWNER));
            AccessClient client = client(own, subjects, SETTINGS);
            UUID user = UUID.randomUUID();
            answer(client, user, UUID.randomUUID());
            answer(client, user, UUID.randomUUID());
            assertEquals(2, client.size());

            // The server goes away and comes back: announcements made meanwhile never reached this client.
            server.destroyForcibly();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS));
            await(() -> own.getStatus() != Connection.Status.CONNECTED, "disconnected");
            assertEquals(2, client.size(), "kept answers are still served while nothing can be asked");
            server = startServer(port);
            await(() -> own.getStatus() == Connection.Status.CONNECTED, "reconnected");
            await(() -> client.size() == 0, "everything dropped on reconnection");
            await(() -> responding.getStatus() == Connection.Status.CONNECTED, "the responder reconnected");
            long before = orchestrator.asked.get();
            await(() -> {
                try {
                    answer(client, user, UUID.randomUUID());
                    return true;
                } catch (Exception | AssertionError notYet) {
                    return false;
                }
            }, "answered after the reconnection");
            assertTrue(orchestrator.asked.get() > before);
        } finally {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private AccessClient client(Connection connection, Subjects installation, AccessClient.Settings settings)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        AccessClient client = AccessClient.start(connection, installation, settings, now::get);
        opened.add(client);
        // Its subscription to announcements is on the server before the test announces anything.
        connection.flush(WAIT);
        return client;
    }

    private static AccessAnswer answer(AccessClient client, UUID user, UUID workspace) throws Exception {
        return client.check(user, workspace).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private Responder respond(Connection connection, Subjects installation, Function<AccessCheck, AccessAnswer> rule)
            throws Exception {
        Responder responder = new Responder(connection, installation, rule);
        opened.add(responder);
        connection.flush(WAIT);
        return responder;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static Process startServer(int port) throws IOException {
        return new ProcessBuilder(List.of("nats-server", "-a", "127.0.0.1", "-p", String.valueOf(port)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Answers the installation's access checks by a rule, in the orchestrators' queue group, counting them. */
    private static final class Responder implements AutoCloseable {
        final AtomicInteger asked = new AtomicInteger();
        private final Connection connection;
        private final Dispatcher dispatcher;

        Responder(Connection connection, Subjects installation, Function<AccessCheck, AccessAnswer> rule) {
            this.connection = connection;
            this.dispatcher = connection.createDispatcher(request -> {
                asked.incrementAndGet();
                AccessCheck check = EventCodec.decode(request.getData(), AccessCheck.class);
                connection.publish(request.getReplyTo(), EventCodec.encode(rule.apply(check)));
            });
            dispatcher.subscribe(installation.accessCheck(), installation.accessCheckQueue());
        }

        @Override
        public void close() {
            if (connection.getStatus() != Connection.Status.CLOSED && dispatcher.isActive()) {
                connection.closeDispatcher(dispatcher);
            }
        }
    }
}
