package dev.arcx.orchestrator.workspace;

import dev.arcx.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Guessing protection for workspace passwords: per workspace, at most {@code arcx.workspaces.password-attempts}
 * password checks in a sliding {@code password-attempt-window}. An attempt is counted when admitted, before the
 * password is checked, so concurrent guesses cannot overrun the limit; a right password clears the count.
 *
 * <p>In memory, per orchestrator process: a restart forgets the counts, which at worst gives a guesser one fresh
 * window; the limit is per workspace (not per address) because only the owner's session reaches these endpoints.
 */
@ApplicationScoped
class PasswordAttempts {
    private final Map<UUID, Deque<Long>> attempts = new ConcurrentHashMap<>();
    private final int limit;
    private final long windowMillis;

    PasswordAttempts(OrchestratorConfig config) {
        this.limit = config.workspaces().passwordAttempts();
        this.windowMillis = config.workspaces().passwordAttemptWindow().toMillis();
    }

    int limit() {
        return limit;
    }

    /** 0 when the attempt may be checked (and is now counted), else the seconds until one may be. */
    long admit(UUID workspace, long nowMillis) {
        long[] retryAfter = {0};
        attempts.compute(workspace, (id, times) -> {
            Deque<Long> recent = times == null ? new ArrayDeque<>() : times;
            while (!recent.isEmpty() && recent.peekFirst() <= nowMillis - windowMillis) {
                recent.pollFirst();
            }
            if (recent.size() >= limit) {
                retryAfter[0] = Math.max(1, (recent.peekFirst() + windowMillis - nowMillis + 999) / 1000);
            } else {
                recent.addLast(nowMillis);
            }
            return recent;
        });
        return retryAfter[0];
    }

    /** The right password was given: earlier wrong ones no longer count. */
    void succeeded(UUID workspace) {
        attempts.remove(workspace);
    }

    /** The workspace is gone. */
    void forget(UUID workspace) {
        attempts.remove(workspace);
    }
}
