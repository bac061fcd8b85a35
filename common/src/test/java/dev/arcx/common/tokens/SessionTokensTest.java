package dev.arcx.common.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SessionTokensTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-secret";
    private final SessionTokens tokens = new SessionTokens(SECRET);
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final SessionClaims claims = new SessionClaims(UUID.randomUUID(), UUID.randomUUID(), "octocat", now,
            now.plus(Duration.ofHours(1)));

    @Test
    void signedTokenVerifiesToSameClaims() {
        String token = tokens.sign(claims);
        assertTrue(token.startsWith(SessionTokens.PREFIX));
        assertEquals(claims, tokens.verify(token, now).orElseThrow());
    }

    @Test
    void expiredTokenIsRejected() {
        String token = tokens.sign(claims);
        assertTrue(tokens.verify(token, claims.expiresAt()).isEmpty());
        assertTrue(tokens.verify(token, claims.expiresAt().plusSeconds(1)).isEmpty());
    }

    @Test
    void tokenSignedWithAnotherSecretIsRejected() {
        String forged = new SessionTokens(SECRET + "-other").sign(claims);
        assertTrue(tokens.verify(forged, now).isEmpty());
    }

    @Test
    void tamperedPayloadIsRejected() {
        String token = tokens.sign(claims);
        String[] parts = token.substring(SessionTokens.PREFIX.length()).split("\\.");
        String otherUser = new String(Base64.getUrlDecoder().decode(parts[0]))
                .replace(claims.userId().toString(), UUID.randomUUID().toString());
        String tampered = SessionTokens.PREFIX
                + Base64.getUrlEncoder().withoutPadding().encodeToString(otherUser.getBytes()) + "." + parts[1];
        assertTrue(tokens.verify(tampered, now).isEmpty());
    }

    @Test
    void correctlySignedTokenWithoutSessionIdIsRejected() throws Exception {
        // The shape tokens had before sessions were kept: signed with the right secret, but naming no session.
        String payload = "{\"sub\":\"" + claims.userId() + "\",\"login\":\"octocat\",\"iat\":"
                + now.getEpochSecond() + ",\"exp\":" + claims.expiresAt().getEpochSecond() + "}";
        String body = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
        assertTrue(tokens.verify(SessionTokens.PREFIX + body + "." + signature, now).isEmpty());
    }

    @Test
    void garbageIsRejectedWithoutExceptions() {
        for (String junk : new String[] {null, "", "s1.", "s1..", "s1.a.b.c", "s1.!!!.???", "x1.abc.def",
                "s1." + Base64.getUrlEncoder().encodeToString("{}".getBytes()) + ".AAAA"}) {
            assertTrue(tokens.verify(junk, now).isEmpty(), String.valueOf(junk));
        }
    }

    @Test
    void shortSecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SessionTokens("short"));
    }
}
