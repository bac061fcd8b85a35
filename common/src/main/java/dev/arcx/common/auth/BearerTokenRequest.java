package dev.arcx.common.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A raw token waiting to be checked: from an {@code Authorization: Bearer} header, or from the {@code arc_session}
 * cookie. Both go to the same identity provider; a cookie may only carry a session token.
 */
public final class BearerTokenRequest extends BaseAuthenticationRequest {
    private final String token;
    private final boolean fromCookie;

    public BearerTokenRequest(String token) {
        this(token, false);
    }

    private BearerTokenRequest(String token, boolean fromCookie) {
        this.token = token;
        this.fromCookie = fromCookie;
    }

    /** The session cookie's value: only a signed session token is accepted from it, never an admin or API token. */
    public static BearerTokenRequest fromCookie(String token) {
        return new BearerTokenRequest(token, true);
    }

    public String token() {
        return token;
    }

    public boolean fromCookie() {
        return fromCookie;
    }
}
