package dev.arcx.common.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signed session tokens: {@code s1.<base64url payload>.<base64url signature>}. Any service holding
 * the shared secret verifies them without a database round trip.
 */
public final class SessionTokens {
    /** Marks the format; a different prefix is never accepted, so the format can change without ambiguity. */
    public static final String PREFIX = "s1.";
    private static final int MIN_SECRET_BYTES = 32;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] secret;

    /** @param secret at least 32 bytes once UTF-8 encoded: shorter keys weaken HMAC-SHA256 */
    public SessionTokens(String secret) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("session secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public String sign(SessionClaims claims) {
        ObjectNode payload = MAPPER.createObjectNode()
                .put("sid", claims.sessionId().toString())
                .put("sub", claims.userId().toString())
                .put("login", claims.login())
                .put("iat", claims.issuedAt().getEpochSecond())
                .put("exp", claims.expiresAt().getEpochSecond());
        String body = B64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
        return PREFIX + body + "." + B64.encodeToString(mac(body));
    }

    /** The claims of a well-formed, correctly signed, unexpired token; empty for anything else. */
    public Optional<SessionClaims> verify(String token, Instant now) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = token.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot <= 0 || dot != rest.lastIndexOf('.')) {
            return Optional.empty();
        }
        String body = rest.substring(0, dot);
        try {
            byte[] given = B64D.decode(rest.substring(dot + 1));
            // Constant-time comparison: a timing side channel must not reveal how much of a forged signature matched.
            if (!MessageDigest.isEqual(mac(body), given)) {
                return Optional.empty();
            }
            JsonNode payload = MAPPER.readTree(B64D.decode(body));
            SessionClaims claims = new SessionClaims(UUID.fromString(payload.get("sid").asText()),
                    UUID.fromString(payload.get("sub").asText()),
                    payload.get("login").asText(), Instant.ofEpochSecond(payload.get("iat").asLong()),
                    Instant.ofEpochSecond(payload.get("exp").asLong()));
            return now.isBefore(claims.expiresAt()) ? Optional.of(claims) : Optional.empty();
        } catch (IllegalArgumentException | NullPointerException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
