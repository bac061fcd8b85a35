package dev.arcx.orchestrator.login;

import dev.arcx.common.http.RouteProblems;
import dev.arcx.orchestrator.audit.Callers;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sign-in attempts per client address: at most {@code arcx.auth.login-attempts-per-minute} requests to the sign-in
 * paths per one-minute window, answered 429 with {@code Retry-After} beyond. A route filter, so it counts before
 * quarkus-oidc exchanges a code with GitHub. The address is X-Forwarded-For's first hop only behind a trusted proxy.
 */
@ApplicationScoped
public class LoginRateLimiter {
    /** Before authentication (200), which runs the code exchange on the callback. */
    private static final int PRIORITY = 260;
    private static final Set<String> PATHS = Set.of("/auth/github", GitHubTenant.CALLBACK, "/auth/dev");
    /** Past this many addresses, windows that ended are dropped. */
    private static final int PRUNE_ABOVE = 10_000;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final int perMinute;
    private final boolean trustProxy;

    LoginRateLimiter(OrchestratorConfig config) {
        this.perMinute = config.auth().loginAttemptsPerMinute();
        this.trustProxy = config.audit().trustProxy();
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    void check(RoutingContext context) {
        if (!PATHS.contains(context.normalizedPath())) {
            context.next();
            return;
        }
        long retryAfter = admit(String.valueOf(Callers.sourceIp(context.request(), trustProxy)),
                System.currentTimeMillis());
        if (retryAfter == 0) {
            context.next();
        } else {
            RouteProblems.send(context, 429, "Too many requests", "at most " + perMinute
                    + " sign-in attempts per minute from one address; try again later", retryAfter);
        }
    }

    /** 0 when the attempt may go on, else the seconds until the window ends. */
    long admit(String address, long nowMillis) {
        long minute = nowMillis / 60_000;
        if (windows.size() > PRUNE_ABOVE) {
            windows.values().removeIf(window -> window.minute != minute);
        }
        Window window = windows.compute(address, (key, current) ->
                current == null || current.minute != minute ? new Window(minute) : current);
        if (window.attempts.incrementAndGet() <= perMinute) {
            return 0;
        }
        return Math.max(1, 60 - (nowMillis / 1000) % 60);
    }

    private static final class Window {
        final long minute;
        final AtomicInteger attempts = new AtomicInteger();

        Window(long minute) {
            this.minute = minute;
        }
    }
}
