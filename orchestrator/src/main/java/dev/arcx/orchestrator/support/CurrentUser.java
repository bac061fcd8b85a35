package dev.arcx.orchestrator.support;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.UUID;

/**
 * The calling user, as the identity provider (auth's {@code BearerIdentityProvider}) put it in the identity when it
 * loaded the user: every feature's resources read the caller from here, so it sits below all of them.
 */
public final class CurrentUser {
    /** Identity attribute with the user's plan id, so per-plan limits need no second lookup. */
    public static final String PLAN = "plan";
    /** Identity attribute with the user's login, which workspace host names are made of. */
    public static final String LOGIN = "login";
    /**
     * Identity attribute naming the credential of the request ({@code admin}, {@code token:<hash>} or
     * {@code session:<id>}): what the per-credential request rate limit counts by.
     */
    public static final String CREDENTIAL = "credential";

    private CurrentUser() {
    }

    public static String plan(SecurityIdentity identity) {
        return identity.getAttribute(PLAN);
    }

    public static String login(SecurityIdentity identity) {
        return identity.getAttribute(LOGIN);
    }

    public static UUID id(SecurityIdentity identity) {
        return UUID.fromString(identity.getPrincipal().getName());
    }
}
