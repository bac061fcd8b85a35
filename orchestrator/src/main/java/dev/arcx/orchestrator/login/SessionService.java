package dev.arcx.orchestrator.login;

import dev.arcx.common.auth.Roles;
import dev.arcx.common.auth.SessionCookies;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.support.CurrentUser;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/** The caller and the sign-in settings, as every page asks for them ({@code GET /api/session}). */
@ApplicationScoped
public class SessionService {
    private final CurrentIdentityAssociation identities;
    private final AccountRepository accounts;
    private final GitHubTenant github;
    private final boolean devLogin;
    private final String signupMode;

    SessionService(CurrentIdentityAssociation identities, AccountRepository accounts, GitHubTenant github,
            OrchestratorConfig config) {
        this.identities = identities;
        this.accounts = accounts;
        this.github = github;
        this.devLogin = config.auth().devLogin();
        this.signupMode = config.auth().signupMode().name().toLowerCase(Locale.ROOT);
    }

    /** @param session the session cookie's value, if the request carried one (its CSRF token goes to the page) */
    public Uni<SessionView> current(String session) {
        // Public, so the identity is resolved on demand (lazily, without blocking the event loop).
        return identities.getDeferredIdentity().flatMap(identity -> {
            if (identity.isAnonymous()) {
                return Uni.createFrom().item(view(false, null, null, null));
            }
            if (!identity.hasRole(Roles.USER)) {
                return Uni.createFrom().item(view(true, null, Roles.ADMIN, null));
            }
            String csrf = session == null ? null : SessionCookies.csrfToken(session);
            String role = identity.hasRole(Roles.ADMIN) ? Roles.ADMIN : Roles.USER;
            return accounts.find(CurrentUser.id(identity))
                    .map(account -> view(true, SessionView.UserView.of(account), role, csrf));
        });
    }

    private SessionView view(boolean authenticated, SessionView.UserView user, String role, String csrf) {
        return new SessionView(authenticated, user, role, csrf, devLogin, github.enabled(), signupMode);
    }
}
