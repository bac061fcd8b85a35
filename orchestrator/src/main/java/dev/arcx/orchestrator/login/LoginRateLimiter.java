package dev.arcx.orchestrator.login;

import dev.arcx.common.http.ApiException;
import dev.arcx.common.http.ClientAddress;
import dev.arcx.common.http.RouteProblems;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.common.support.MinuteWindows;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;

/**
 * Sign-in attempts per client address: at most {@code arcx.auth.login-attempts-per-minute} requests to the sign-in
 * paths per one-minute window, answered 429 with {@code Retry-After} beyond. A route filter, so it counts before
 * quarkus-oidc exchanges a code with GitHub. The address is X-Forwarded-For's first hop only behind a trusted proxy.
 * That limit is generous (a whole office may share an address); each account has its own, tighter one on refused
 * sign-ins ({@code arcx.auth.login-failures-per-account-per-minute}), which {@link LoginService} applies once the
 * login is known.
 */
@ApplicationScoped
public class LoginRateLimiter {
    /** Before authentication (200), which runs the code exchange on the callback. */
    private static final int PRIORITY = 260;
    private static final Set<String> PATHS = Set.of("/auth/github", GitHubTenant.CALLBACK, "/auth/dev");
    private final MinuteWindows attempts;
    private final MinuteWindows accountFailures;
    private final int perMinute;
    private final boolean trustProxy;

    LoginRateLimiter(OrchestratorConfig config) {
        this.perMinute = config.auth().loginAttemptsPerMinute();
        this.attempts = new MinuteWindows(perMinute);
        this.accountFailures = new MinuteWindows(config.auth().loginFailuresPerAccountPerMinute());
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
        long retryAfter = admit(String.valueOf(ClientAddress.of(context.request(), trustProxy)),
                System.currentTimeMillis());
        if (retryAfter == 0) {
            context.next();
        } else {
            RouteProblems.send(context, ApiException.tooManyRequests("at most " + perMinute
                    + " sign-in attempts per minute from one address; try again later", retryAfter));
        }
    }

    /** 0 when {@code login} may try to sign in, else the seconds until its refused sign-ins are forgotten. */
    long accountRetryAfter(String login, long nowMillis) {
        return accountFailures.full(login.toLowerCase(java.util.Locale.ROOT), nowMillis);
    }

    /** A sign-in of {@code login} was refused. */
    void accountFailed(String login, long nowMillis) {
        accountFailures.admit(login.toLowerCase(java.util.Locale.ROOT), nowMillis);
    }

    int accountFailuresPerMinute() {
        return accountFailures.perMinute();
    }

    /** 0 when the attempt may go on, else the seconds until the window ends. */
    long admit(String address, long nowMillis) {
        return attempts.admit(address, nowMillis);
    }
}
