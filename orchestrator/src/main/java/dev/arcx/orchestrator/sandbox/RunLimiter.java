package dev.arcx.orchestrator.sandbox;

import dev.arcx.common.http.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-user admission of runs: at most N in flight and M started per minute (a fixed one-minute window). Refusals
 * are 429s that say when to come back.
 */
@ApplicationScoped
public class RunLimiter {
    private final Map<UUID, UserState> users = new ConcurrentHashMap<>();

    /** A permit to release when the run ends. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    Permit admit(UUID userId, RunLimits limits) {
        UserState state = users.computeIfAbsent(userId, id -> new UserState());
        synchronized (state) {
            long minute = System.currentTimeMillis() / 60_000;
            if (state.minute != minute) {
                state.minute = minute;
                state.started = 0;
            }
            if (state.started >= limits.runsPerMinute()) {
                long retry = Math.max(1, 60 - (System.currentTimeMillis() / 1000) % 60);
                throw ApiException.tooManyRequests("at most " + limits.runsPerMinute() + " runs per minute", retry);
            }
            if (state.inFlight >= limits.maxConcurrentRuns()) {
                throw ApiException.tooManyRequests("at most " + limits.maxConcurrentRuns() + " runs at a time", 1);
            }
            state.started++;
            state.inFlight++;
        }
        return () -> {
            synchronized (state) {
                state.inFlight--;
            }
        };
    }

    private static final class UserState {
        long minute;
        int started;
        int inFlight;
    }
}
