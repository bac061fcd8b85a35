package dev.arcx.common.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Personal API tokens: 256 random bits behind a recognisable prefix. Only the SHA-256 digest is stored; a salted
 * slow hash is unnecessary because the token itself has full entropy, and a fast digest keeps every request cheap.
 */
public final class ApiTokens {
    public static final String PREFIX = "arcx_pat_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiTokens() {
    }

    public static String generate() {
        return randomSecret(PREFIX);
    }

    /** 256 random bits, base64url, behind {@code prefix}: personal API tokens, webhook signing secrets. */
    public static String randomSecret(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static boolean looksLikeApiToken(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    /** Hex SHA-256 of the token: what the database keeps and looks up by. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The first characters, safe to show in listings so a user can tell tokens apart. */
    public static String displayPrefix(String token) {
        return token.substring(0, Math.min(token.length(), PREFIX.length() + 6));
    }
}
