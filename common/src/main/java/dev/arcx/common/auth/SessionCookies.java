package dev.arcx.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The browser session's cookies, the same for every service: {@code arc_session} holds the signed session token
 * (HTTP-only), {@code arc_csrf} the token that cookie-authenticated state changes must echo in {@code X-CSRF-Token}.
 */
public final class SessionCookies {
    public static final String SESSION = "arc_session";
    public static final String CSRF = "arc_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private SessionCookies() {
    }

    /**
     * The CSRF token of a session: a digest of the session token. Whoever can read it is a page of the platform's
     * origin (the HTTP-only session cookie itself is out of any script's reach), every service checks it without
     * a secret or a lookup, and it changes with every sign-in.
     */
    public static String csrfToken(String sessionToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("arcx-csrf\n" + sessionToken).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Whether {@code presented} is the session's CSRF token, compared in constant time. */
    public static boolean csrfMatches(String sessionToken, String presented) {
        return presented != null && MessageDigest.isEqual(csrfToken(sessionToken).getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
