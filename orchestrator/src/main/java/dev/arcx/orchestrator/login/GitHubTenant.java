package dev.arcx.orchestrator.login;

import dev.arcx.common.tokens.ApiTokens;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.Provider;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * quarkus-oidc's GitHub provider (OAuth2, no discovery), as one tenant that exists only on {@link #CALLBACK}: there,
 * and only there, the authorization code flow runs (the permission in application.properties selects the code
 * mechanism for that path); every other request resolves to the disabled default tenant, so the API keeps its
 * bearer and cookie authentication. Without a client id there is no tenant at all and GitHub sign-in is off.
 *
 * <p>GitHub's endpoints come from configuration, so tests point them at their fake GitHub. GitHub answers the user
 * (and so the identity) from {@code /user}; the primary e-mail address comes from {@code /user/emails} afterwards.
 */
@ApplicationScoped
public class GitHubTenant implements TenantConfigResolver {
    public static final String CALLBACK = "/auth/callback";
    static final String TENANT_ID = "github";
    /** quarkus-oidc's session cookie of this tenant, which the callback clears at once. */
    static final String SESSION_COOKIE = "q_session_" + TENANT_ID;

    private final OidcTenantConfig tenant;

    GitHubTenant(OrchestratorConfig config) {
        this.tenant = config.github().clientId().map(clientId -> tenant(config, clientId)).orElse(null);
    }

    public boolean enabled() {
        return tenant != null;
    }

    @Override
    public Uni<OidcTenantConfig> resolve(RoutingContext context, OidcRequestContext<OidcTenantConfig> request) {
        return Uni.createFrom().item(tenant != null && CALLBACK.equals(context.normalizedPath()) ? tenant : null);
    }

    private static OidcTenantConfig tenant(OrchestratorConfig config, String clientId) {
        OrchestratorConfig.GitHub github = config.github();
        String web = withoutTrailingSlash(github.url());
        String redirect = config.auth().publicUrl().map(url -> withoutTrailingSlash(url) + CALLBACK).orElse(CALLBACK);
        // The encrypted cookie that carries GitHub's token between the code exchange and our callback is keyed from
        // the session secret, never from the client secret alone (which may be short).
        String cookieKey = ApiTokens.hash("oidc-cookies\n" + config.sessionSecret());
        return OidcTenantConfig.builder()
                .tenantId(TENANT_ID)
                .provider(Provider.GITHUB)
                .authServerUrl(web + "/login/oauth")
                .userInfoPath(withoutTrailingSlash(github.apiUrl()) + "/user")
                .clientId(clientId)
                .credentials(github.clientSecret().orElse(""))
                .connectionTimeout(github.timeout())
                .authentication()
                    .redirectPath(redirect)
                    // Our callback runs on the request that brought the code: no extra redirect to drop the query.
                    .removeRedirectParameters(false)
                    .stateSecret(cookieKey)
                    .end()
                .token().principalClaim("login").end()
                .tokenStateManager().encryptionSecret(cookieKey).end()
                .build();
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
