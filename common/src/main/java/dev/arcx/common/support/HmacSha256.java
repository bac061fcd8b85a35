package dev.arcx.common.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 as webhooks use it: hex digests, compared in constant time. */
public final class HmacSha256 {
    private HmacSha256() {
    }

    public static byte[] digest(String secret, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public static String hex(String secret, byte[] message) {
        return HexFormat.of().formatHex(digest(secret, message));
    }

    /**
     * Whether {@code presentedHex} is the HMAC of {@code message}; constant time, so a forger learns nothing from how
     * long a wrong guess took. Case-insensitive like any hex.
     */
    public static boolean matches(String secret, byte[] message, String presentedHex) {
        if (presentedHex == null) {
            return false;
        }
        return MessageDigest.isEqual(hex(secret, message).getBytes(StandardCharsets.US_ASCII),
                presentedHex.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
