package dev.arcx.orchestrator.audit;

import dev.arcx.common.auth.Roles;
import dev.arcx.common.events.AuditEvent;
import dev.arcx.common.http.ClientAddress;
import dev.arcx.orchestrator.support.CurrentUser;
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
        return ClientAddress.of(request, trustProxy);
    }
}
