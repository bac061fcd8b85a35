package dev.arcx.common.access;

import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * "May user U use workspace W, and as what?" for any service of the installation: asks the orchestrator over NATS
 * request/reply ({@link Subjects#accessCheck}) and keeps the answers for a while, so a service that asks per message
 * or per event asks the database once per user and workspace.
 *
 * <p>What is kept and for how long:
 * <ul>
 * <li>An allowed answer lives up to {@link Settings#allowedTtl} and is dropped as soon as an {@link AccessNarrowed}
 * announcement ({@link Subjects#accessNarrowed}) names its user or workspace. The TTL is only a safety net for an
 * announcement that never came (an orchestrator that died between its commit and its announcement).</li>
 * <li>A denial lives up to {@link Settings#deniedTtl}, shorter: nothing announces a widening (someone joining a team),
 * so a denial is what may stay wrong, and for no longer than that.</li>
 * <li>On every (re)connection to NATS everything is dropped: announcements made while this connection was away were
 * missed. While disconnected, kept answers are still served until their TTL (nothing new can be asked then).</li>
 * <li>An answer that arrives after an announcement or a reconnection that happened while it was asked is handed to
 * its caller but not kept: it may have been read before the narrowing committed.</li>
 * <li>At most {@link Settings#maxEntries} answers, the least recently used going first.</li>
 * </ul>
 * Failures (no orchestrator answered in {@link Settings#timeout}, a request it could not read) are never kept: the
 * returned stage fails with {@link Unavailable}, and the caller refuses, as it would for a denial.
 *
 * <p>Plain Java on a jnats {@link Connection}; the answers complete on jnats' threads, so callers on an event loop
 * never block.
 */
public final class AccessClient implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AccessClient.class);

    /**
     * @param timeout how long one question waits for the orchestrator's answer
     * @param allowedTtl how long an allowed answer is kept at most (narrowing drops it earlier)
     * @param deniedTtl how long a denial is kept at most: the longest a widening may go unseen
     * @param maxEntries how many answers are kept at most
     */
    public record Settings(Duration timeout, Duration allowedTtl, Duration deniedTtl, int maxEntries) {
        public Settings {
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(allowedTtl, "allowedTtl");
            Objects.requireNonNull(deniedTtl, "deniedTtl");
            if (timeout.isNegative() || timeout.isZero() || allowedTtl.isNegative() || deniedTtl.isNegative()
                    || maxEntries < 1) {
                throw new IllegalArgumentException("access client settings must be positive: " + timeout + ", "
                        + allowedTtl + ", " + deniedTtl + ", " + maxEntries);
            }
        }

        /** One second to answer; allowed answers kept 30 s, denials 5 s; 10,000 answers. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5), 10_000);
        }
    }

    /** No answer could be had: no orchestrator answered in time, or it refused the request. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Key(UUID userId, UUID workspaceId) {
    }

    private record Kept(AccessAnswer answer, long expiresAtNanos) {
    }

    private final Connection nats;
    private final Subjects subjects;
    private final Settings settings;
    private final LongSupplier nanoClock;
    /** Least recently used first; guarded by itself. */
    private final LinkedHashMap<Key, Kept> kept;
    /** Questions on their way, so that a burst about one user and workspace asks once. */
    private final Map<Key, CompletableFuture<AccessAnswer>> asking = new ConcurrentHashMap<>();
    /** Moves on every narrowing and (re)connection: an answer asked before a move is not kept. */
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong questions = new AtomicLong();
    private final ConnectionListener reconnections;
    private final Dispatcher announcements;

    private AccessClient(Connection nats, Subjects subjects, Settings settings, LongSupplier nanoClock) {
        this.nats = nats;
        this.subjects = subjects;
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.kept = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Kept> eldest) {
                return size() > settings.maxEntries();
            }
        };
        this.reconnections = (connection, event) -> {
            if (event == ConnectionListener.Events.CONNECTED || event == ConnectionListener.Events.RECONNECTED
                    || event == ConnectionListener.Events.RESUBSCRIBED) {
                forgetAll();
            }
        };
        nats.addConnectionListener(reconnections);
        this.announcements = nats.createDispatcher(this::onAnnouncement);
        announcements.subscribe(subjects.accessNarrowed());
    }

    /**
     * Starts answering for the installation of {@code subjects} on {@code nats}, following its narrowing
     * announcements. Works while NATS is down: questions then fail with {@link Unavailable} until it is back.
     */
    public static AccessClient start(Connection nats, Subjects subjects, Settings settings) {
        return new AccessClient(nats, subjects, settings, System::nanoTime);
    }

    /** The same with a clock of the caller's (tests of expiry). */
    static AccessClient start(Connection nats, Subjects subjects, Settings settings, LongSupplier nanoClock) {
        return new AccessClient(nats, subjects, settings, nanoClock);
    }

    /**
     * Whether the user may use the workspace, and as what: a kept answer at once, else the orchestrator's. Fails
     * with {@link Unavailable} when there is no answer; with {@link NullPointerException} for a null id.
     */
    public CompletableFuture<AccessAnswer> check(UUID userId, UUID workspaceId) {
        Key key = new Key(Objects.requireNonNull(userId, "userId"), Objects.requireNonNull(workspaceId,
                "workspaceId"));
        AccessAnswer known = keptAnswer(key);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        CompletableFuture<AccessAnswer> mine = new CompletableFuture<>();
        CompletableFuture<AccessAnswer> already = asking.putIfAbsent(key, mine);
        if (already != null) {
            return already;
        }
        ask(key, mine);
        return mine;
    }

    /** Drops what {@code narrowed} may have made wrong; what an announcement on NATS does, for in-process callers. */
    public void narrowed(AccessNarrowed narrowed) {
        generation.incrementAndGet();
        asking.clear();
        synchronized (kept) {
            kept.keySet().removeIf(key -> key.userId().equals(narrowed.userId())
                    || key.workspaceId().equals(narrowed.workspaceId()));
        }
    }

    /** Drops every kept answer. */
    public void forgetAll() {
        generation.incrementAndGet();
        asking.clear();
        synchronized (kept) {
            kept.clear();
        }
    }

    /** How many answers are kept now. */
    public int size() {
        synchronized (kept) {
            return kept.size();
        }
    }

    /** How many questions this client sent to the orchestrators so far (the rest were answered from what it kept). */
    public long questionsAsked() {
        return questions.get();
    }

    @Override
    public void close() {
        nats.removeConnectionListener(reconnections);
        if (nats.getStatus() != Connection.Status.CLOSED) {
            nats.closeDispatcher(announcements);
        }
        forgetAll();
    }

    private AccessAnswer keptAnswer(Key key) {
        synchronized (kept) {
            Kept entry = kept.get(key);
            if (entry == null) {
                return null;
            }
            if (nanoClock.getAsLong() - entry.expiresAtNanos() >= 0) {
                kept.remove(key);
                return null;
            }
            return entry.answer();
        }
    }

    private void ask(Key key, CompletableFuture<AccessAnswer> mine) {
        long askedIn = generation.get();
        questions.incrementAndGet();
        CompletableFuture<Message> reply;
        try {
            // Bounded by our own clock too: jnats notices a request's timeout only at its periodic clean-up.
            reply = nats.requestWithTimeout(subjects.accessCheck(),
                    EventCodec.encode(AccessCheck.of(key.userId(), key.workspaceId())), settings.timeout())
                    .orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException notSent) {
            reply = CompletableFuture.failedFuture(notSent);
        }
        reply.whenComplete((message, failure) -> {
            asking.remove(key, mine);
            if (failure != null) {
                mine.completeExceptionally(new Unavailable("no answer to an access check within "
                        + settings.timeout().toMillis() + " ms: " + failure, failure));
                return;
            }
            AccessAnswer answer;
            try {
                answer = EventCodec.decode(message.getData(), AccessAnswer.class);
            } catch (RuntimeException unreadable) {
                mine.completeExceptionally(new Unavailable("an unreadable access answer", unreadable));
                return;
            }
            if (!answer.answered()) {
                mine.completeExceptionally(new Unavailable("the access check was refused: " + answer.error(), null));
                return;
            }
            keep(key, answer, askedIn);
            mine.complete(answer);
        });
    }

    private void keep(Key key, AccessAnswer answer, long askedIn) {
        Duration ttl = answer.allowed() ? settings.allowedTtl() : settings.deniedTtl();
        if (ttl.isZero()) {
            return;
        }
        synchronized (kept) {
            // Checked under the lock a narrowing takes too: either it came first and this answer is not kept, or it
            // comes after and drops it.
            if (generation.get() == askedIn) {
                kept.put(key, new Kept(answer, nanoClock.getAsLong() + ttl.toNanos()));
            }
        }
    }

    private void onAnnouncement(Message message) {
        AccessNarrowed narrowed;
        try {
            narrowed = EventCodec.decode(message.getData(), AccessNarrowed.class);
        } catch (RuntimeException unreadable) {
            // Someone's access narrowed, but whose is unreadable: every kept answer may be wrong now.
            LOG.warnf("unreadable access narrowing on %s; dropping every kept answer: %s", message.getSubject(),
                    unreadable.getMessage());
            forgetAll();
            return;
        }
        narrowed(narrowed);
    }
}
