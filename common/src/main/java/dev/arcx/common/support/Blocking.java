package dev.arcx.common.support;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Runs blocking work (every docker-java call) on virtual threads, never on the event loop. Virtual threads because
 * a workspace start spends most of its time waiting on the engine and the IDE port.
 */
@ApplicationScoped
public class Blocking {
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("arcx-blocking-", 0).factory());

    public <T> Uni<T> call(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(executor);
    }

    public Uni<Void> run(Runnable work) {
        return call(() -> {
            work.run();
            return null;
        });
    }

    /** Fire-and-forget background work; failures must be handled inside {@code work}. */
    public void submit(Runnable work) {
        executor.execute(work);
    }

    @PreDestroy
    void shutdown() {
        executor.shutdownNow();
    }
}
