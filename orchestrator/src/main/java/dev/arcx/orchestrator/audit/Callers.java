package dev.arcx.orchestrator.audit;

import dev.arcx.common.auth.Roles;
import dev.arcx.common.events.AuditEvent;
import dev.arcx.orchestrator.auth.CurrentUser;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@link Caller} of the current HTTP request: the authenticated identity and the address it came from. */
@ApplicationScoped
public class Callers {
    private final SecurityIdentity identity;
    private final HttpServerRequest request;
    private final boolean trustProxy;

    Callers(SecurityIdentity identity, HttpServerRequest request, OrchestratorConfig config) {
        this.identity = identity;
        this.request = request;
        this.trustProxy = config.audit().trustProxy();
    }

    /** The admin token acts as {@code admin}; a user, admin or not, as themselves. */
    public Caller current() {
        String ip = sourceIp();
        if (identity.hasRole(Roles.ADMIN) && !identity.hasRole(Roles.USER)) {
            return new Caller(AuditEvent.ADMIN, ip);
        }
        return Caller.user(CurrentUser.id(identity), ip);
    }

    /** Where the current request came from, for callers that are no identity yet (sign-in, inbound webhooks). */
    public String sourceIp() {
        return sourceIp(request, trustProxy);
    }

    /** Where {@code request} came from; see {@link #sourceAddress}. */
    public static String sourceIp(HttpServerRequest request, boolean trustProxy) {
        var remote = request.remoteAddress();
        return sourceAddress(trustProxy, request.getHeader("X-Forwarded-For"), remote == null ? null : remote.hostAddress());
    }

    /**
     * X-Forwarded-For's first hop (the client as the trusted proxy saw it) when a proxy is trusted, else the peer's
     * address: an untrusted header is whatever the client chose to write.
     */
    static String sourceAddress(boolean trustProxy, String forwardedFor, String remoteAddress) {
        if (trustProxy && forwardedFor != null) {
            String first = forwardedFor.split(",", 2)[0].strip();
            if (!first.isEmpty()) {
                return first;
            }
        }
        return remoteAddress;
    }
}
