package dev.arcx.orchestrator.login;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import java.time.Duration;
import java.time.Instant;

/**
 * The cookies sign-in sets and sign-out clears. All are SameSite=Lax (sent on a top-level navigation back from
 * GitHub, not on another site's subrequests), Secure outside local mode, and scoped to the edge domain when there is
 * one, so forward-auth sees the session on workspace hosts too.
 */
@ApplicationScoped
public class SessionCookieWriter {
    /** Holds an invite code while its holder is at GitHub; only the sign-in paths read it. */
    static final String INVITE = "arc_invite";
    private static final String AUTH_PATH = "/auth";

    private final boolean secure;
    private final String domain;
    private final Duration inviteTtl;

    SessionCookieWriter(OrchestratorConfig config) {
        this.secure = config.auth().secureCookies();
        this.domain = config.routing().domain().filter(d -> !d.isBlank()).orElse(null);
        this.inviteTtl = config.auth().inviteCookieTtl();
    }

    /** The session token (HTTP-only) and its CSRF token (readable by the platform's pages), for as long as it lasts. */
    public NewCookie[] session(String token, Instant expiresAt) {
        int maxAge = (int) Math.max(0, Duration.between(Instant.now(), expiresAt).toSeconds());
        return new NewCookie[] {cookie(SessionCookies.SESSION, token, "/", maxAge, true),
                cookie(SessionCookies.CSRF, SessionCookies.csrfToken(token), "/", maxAge, false),
                cookie(INVITE, "", AUTH_PATH, 0, true)};
    }

    public NewCookie[] cleared() {
        return new NewCookie[] {cookie(SessionCookies.SESSION, "", "/", 0, true),
                cookie(SessionCookies.CSRF, "", "/", 0, false)};
    }

    public NewCookie invite(String code) {
        return cookie(INVITE, code, AUTH_PATH, (int) inviteTtl.toSeconds(), true);
    }

    public NewCookie inviteCleared() {
        return cookie(INVITE, "", AUTH_PATH, 0, true);
    }

    private NewCookie cookie(String name, String value, String path, int maxAge, boolean httpOnly) {
        return new NewCookie.Builder(name).value(value).path(path).domain(domain).maxAge(maxAge).httpOnly(httpOnly)
                .secure(secure).sameSite(NewCookie.SameSite.LAX).build();
    }
}
