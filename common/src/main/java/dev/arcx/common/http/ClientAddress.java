package dev.arcx.common.http;

import io.vertx.core.http.HttpServerRequest;

/** Where a request came from, by one rule for every service (audit, rate limits, throttling). */
public final class ClientAddress {
    private ClientAddress() {
    }

    /** The address of {@code request}'s client, or null when the connection has none; see {@link #of(boolean, String, String)}. */
    public static String of(HttpServerRequest request, boolean trustProxy) {
        var remote = request.remoteAddress();
        return of(trustProxy, request.getHeader("X-Forwarded-For"), remote == null ? null : remote.hostAddress());
    }

    /**
     * X-Forwarded-For's first hop (the client as the trusted proxy saw it) when a proxy is trusted, else the peer's
     * address: an untrusted header is whatever the client chose to write.
     */
    public static String of(boolean trustProxy, String forwardedFor, String remoteAddress) {
        if (trustProxy && forwardedFor != null) {
            String first = forwardedFor.split(",", 2)[0].strip();
            if (!first.isEmpty()) {
                return first;
            }
        }
        return remoteAddress;
    }
}
