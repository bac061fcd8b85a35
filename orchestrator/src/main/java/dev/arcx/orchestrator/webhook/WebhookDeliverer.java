package dev.arcx.orchestrator.webhook;

import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.events.WorkspaceEvent;
import dev.arcx.common.support.Blocking;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.webhook.WebhookRepository.DueDelivery;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Turns each workspace event on NATS into a pending delivery per interested hook of its owner, then sends pending
 * deliveries in the background: at most {@code arcx.webhooks.concurrency} at once, each bounded by
 * {@code arcx.webhooks.timeout}, retried with exponential backoff. The rows are the queue, so a restart resumes
 * whatever was pending and a slow receiver never holds up an API request.
 */
@ApplicationScoped
public class WebhookDeliverer {
    private static final Logger LOG = Logger.getLogger(WebhookDeliverer.class);
    private static final int MAX_ERROR_LENGTH = 500;

    private final Connection nats;
    private final Subjects subjects;
    private final WebhookRepository repository;
    private final Blocking blocking;
    private final OrchestratorConfig.Webhooks config;
    private final Semaphore slots;
    private final HttpClient http;
    /** Set by every reason to look for due deliveries; cleared by the one poll that looks. */
    private final AtomicBoolean pollWanted = new AtomicBoolean();
    private final ReentrantLock polling = new ReentrantLock();
    private Dispatcher dispatcher;

    WebhookDeliverer(Connection nats, Subjects subjects, WebhookRepository repository, Blocking blocking,
            OrchestratorConfig config) {
        this.nats = nats;
        this.subjects = subjects;
        this.repository = repository;
        this.blocking = blocking;
        this.config = config.webhooks();
        this.slots = new Semaphore(this.config.concurrency());
        this.http = HttpClient.newBuilder().connectTimeout(this.config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    void onStart(@Observes StartupEvent start) {
        dispatcher = nats.createDispatcher(this::onEvent);
        dispatcher.subscribe(subjects.allWorkspaceEvents());
        wake();
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (dispatcher != null) {
            nats.closeDispatcher(dispatcher);
        }
        http.shutdownNow();
    }

    /** Retries and leftovers of a restart become due with time, not with an event. */
    @Scheduled(every = "${arcx.webhooks.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        wake();
    }

    private void onEvent(Message message) {
        WorkspaceEvent event;
        try {
            event = EventCodec.decode(message.getData(), WorkspaceEvent.class);
        } catch (RuntimeException e) {
            LOG.debugf("ignoring an unreadable workspace event on %s: %s", message.getSubject(), e.getMessage());
            return;
        }
        String payload = new String(message.getData(), StandardCharsets.UTF_8);
        blocking.submit(() -> {
            try {
                if (repository.enqueue(event.ownerId(), event.teamId(), event.eventId(), WebhookService.eventName(event.type()), payload)
                        .await().indefinitely() > 0) {
                    wake();
                }
            } catch (RuntimeException e) {
                LOG.warnf("webhook deliveries of event %s were not queued: %s", event.eventId(), e.getMessage());
            }
        });
    }

    private void wake() {
        pollWanted.set(true);
        blocking.submit(this::poll);
    }

    /** One poller at a time; a wake during a poll makes that poller look again instead of starting another. */
    private void poll() {
        while (pollWanted.get() && polling.tryLock()) {
            try {
                pollWanted.set(false);
                claimAndSend();
            } catch (RuntimeException e) {
                LOG.warnf("looking for due webhook deliveries failed: %s", e.getMessage());
            } finally {
                polling.unlock();
            }
        }
    }

    private void claimAndSend() {
        int free = slots.availablePermits();
        if (free == 0) {
            return;
        }
        // The lease outlives any attempt, so only a dead process's claim ever runs out.
        Duration lease = config.timeout().multipliedBy(2).plusSeconds(5);
        for (DueDelivery delivery : repository.claimDue(free, lease).await().indefinitely()) {
            slots.acquireUninterruptibly();
            blocking.submit(() -> {
                try {
                    attempt(delivery);
                } finally {
                    slots.release();
                    wake();
                }
            });
        }
    }

    private void attempt(DueDelivery delivery) {
        Optional<String> refused = config.allowPrivateReceivers() ? Optional.empty()
                : ReceiverAddresses.refusal(delivery.url());
        if (refused.isPresent()) {
            // Resolved at each attempt, so a name re-pointed at a private address is caught too; not retried.
            repository.attemptFailed(delivery.id(), null, truncate(refused.get()), null).await().indefinitely();
            return;
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(delivery.url())).timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "arcx-webhooks/1")
                    .header("X-Arcx-Event", delivery.event())
                    .header("X-Arcx-Delivery", delivery.id().toString())
                    .header("X-Arcx-Signature", WebhookSignature.header(delivery.secret(),
                            Instant.now().getEpochSecond(), delivery.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
                    .build();
        } catch (IllegalArgumentException e) {
            record(delivery, null, "the URL cannot be requested: " + e.getMessage());
            return;
        }
        CompletableFuture<HttpResponse<Void>> response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            // The request timeout covers the answer's headers only; this bounds the body as well.
            int code = response.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS).statusCode();
            record(delivery, code, code / 100 == 2 ? null : "the receiver answered HTTP " + code);
        } catch (TimeoutException e) {
            response.cancel(true);
            record(delivery, null, "no complete answer within " + config.timeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            record(delivery, null, describe(e.getCause()));
        } catch (InterruptedException e) {
            // Shutting down: the delivery stays pending and is due again when its lease runs out.
            response.cancel(true);
            Thread.currentThread().interrupt();
        }
    }

    private void record(DueDelivery delivery, Integer code, String error) {
        if (error == null) {
            repository.succeeded(delivery.id(), code).await().indefinitely();
            return;
        }
        int attempts = delivery.attempts() + 1;
        Duration retryIn = attempts >= config.maxAttempts() ? null : backoff(attempts);
        LOG.debugf("webhook delivery %s attempt %d failed: %s", delivery.id(), attempts, error);
        repository.attemptFailed(delivery.id(), code, truncate(error), retryIn).await().indefinitely();
    }

    /** initial × 2^(attempts−1), capped: 1 s, 2 s, 4 s … with the defaults. */
    private Duration backoff(int attempts) {
        Duration wait = config.initialBackoff().multipliedBy(1L << Math.min(attempts - 1, 30));
        return wait.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : wait;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String truncate(String error) {
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
