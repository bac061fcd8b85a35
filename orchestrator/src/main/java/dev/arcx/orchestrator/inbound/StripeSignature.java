package dev.arcx.orchestrator.inbound;

import dev.arcx.common.support.HmacSha256;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stripe's {@code Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]}: each v1 is the hex HMAC-SHA256 of
 * {@code "<t>.<raw body>"} keyed with the endpoint's secret (several during a secret's rotation; any may match; other
 * schemes are ignored, as Stripe's libraries do). A timestamp further than the tolerance from now is refused, so a
 * captured delivery cannot be replayed later.
 */
final class StripeSignature {
    private StripeSignature() {
    }

    /** Why the header does not prove the payload; empty when it does. */
    static Optional<String> problem(String header, byte[] payload, String secret, Duration tolerance, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.of("the Stripe-Signature header is missing");
        }
        Long timestamp = null;
        List<String> signatures = new ArrayList<>();
        for (String item : header.split(",")) {
            String[] pair = item.strip().split("=", 2);
            if (pair.length != 2) {
                continue;
            }
            if (pair[0].equals("t")) {
                try {
                    timestamp = Long.parseLong(pair[1]);
                } catch (NumberFormatException e) {
                    return Optional.of("the Stripe-Signature timestamp is not a number");
                }
            } else if (pair[0].equals("v1")) {
                signatures.add(pair[1]);
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            return Optional.of("the Stripe-Signature header needs t= and at least one v1=");
        }
        byte[] signed = signedPayload(timestamp, payload);
        if (signatures.stream().noneMatch(signature -> HmacSha256.matches(secret, signed, signature))) {
            return Optional.of("no v1 signature matches the payload");
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
            return Optional.of("the signature's timestamp is outside the tolerance of " + tolerance.toSeconds()
                    + " s (a replay, or a clock far off)");
        }
        return Optional.empty();
    }

    private static byte[] signedPayload(long timestamp, byte[] payload) {
        ByteArrayOutputStream signed = new ByteArrayOutputStream(payload.length + 16);
        signed.writeBytes((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
        signed.writeBytes(payload);
        return signed.toByteArray();
    }
}
