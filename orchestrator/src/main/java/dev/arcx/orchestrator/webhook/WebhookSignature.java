package dev.arcx.orchestrator.webhook;

import dev.arcx.common.support.HmacSha256;
import java.nio.charset.StandardCharsets;

/**
 * {@code X-Arcx-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}. The timestamp is signed too, so a
 * receiver can refuse replays of an old delivery.
 */
final class WebhookSignature {
    private WebhookSignature() {
    }

    static String header(String secret, long unixSeconds, String body) {
        return "t=" + unixSeconds + ",v1=" + HmacSha256.hex(secret, (unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
    }
}
