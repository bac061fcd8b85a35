package dev.arcx.common.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The raw token of an {@code Authorization: Bearer} header, waiting to be checked. */
public final class BearerTokenRequest extends BaseAuthenticationRequest {
    private final String token;

    public BearerTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
