package dev.arcx.testkit.callers;

/**
 * The secrets every service's test profile is configured with (its application.properties), and that a packaged
 * service started by a test gets too: the administrator token and the key that signs session tokens.
 */
public final class TestTokens {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123456789";
    public static final String SESSION_SECRET = "test-session-secret-0123456789abcdef0123456789";

    private TestTokens() {
    }
}
