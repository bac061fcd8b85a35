package dev.arcx.orchestrator.auth;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.UUID;

/** The calling user's id, as {@link BearerIdentityProvider} put it in the principal. */
public final class CurrentUser {
    private CurrentUser() {
    }

    public static UUID id(SecurityIdentity identity) {
        return UUID.fromString(identity.getPrincipal().getName());
    }
}
