package dev.arcx.orchestrator.login;

import dev.arcx.common.http.RouteProblems;
import dev.arcx.orchestrator.audit.Callers;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.support.MinuteWindows;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;

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
    private final MinuteWindows attempts;
    private final int perMinute;
    private final boolean trustProxy;

    LoginRateLimiter(OrchestratorConfig config) {
        this.perMinute = config.auth().loginAttemptsPerMinute();
        this.attempts = new MinuteWindows(perMinute);
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
        return attempts.admit(address, nowMillis);
    }
}
