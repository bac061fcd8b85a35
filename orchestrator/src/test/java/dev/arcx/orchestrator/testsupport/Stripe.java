package dev.arcx.orchestrator.testsupport;

import static io.restassured.RestAssured.given;

import dev.arcx.common.support.HmacSha256;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Stripe as a webhook sender: its events' JSON, signed as Stripe signs them, posted to the orchestrator. */
public final class Stripe {
    /** The test profile's endpoint secret (application.properties). */
    public static final String SECRET = "whsec_test_0123456789abcdef";

    private Stripe() {
    }

    /** {@code checkout.session.completed} for the user; {@code plan} goes in the metadata when not null. */
    public static String checkoutCompleted(String eventId, UUID userId, String customer, String plan) {
        String metadata = plan == null ? "{}" : "{\"plan\":\"" + plan + "\"}";
        return "{\"id\":\"" + eventId + "\",\"object\":\"event\",\"type\":\"checkout.session.completed\","
                + "\"data\":{\"object\":{\"id\":\"cs_test_1\",\"object\":\"checkout.session\",\"client_reference_id\":\""
                + userId + "\",\"customer\":\"" + customer + "\",\"mode\":\"subscription\",\"metadata\":" + metadata
                + ",\"note\":\"pro\"}}}";
    }

    public static String subscription(String type, String customer, String status, String price) {
        return "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"object\":\"event\",\"type\":\"" + type + "\",\"data\":"
                + "{\"object\":{\"id\":\"sub_1\",\"object\":\"subscription\",\"customer\":\"" + customer
                + "\",\"status\":\"" + status + "\",\"items\":{\"data\":[{\"price\":{\"id\":\"" + price + "\"}}]}}}}";
    }

    /** What Stripe sends: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload">}. */
    public static String signature(String secret, long timestamp, String payload) {
        return "t=" + timestamp + ",v1=" + HmacSha256.hex(secret, (timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
    }

    /** Posts the event signed now with the test secret. */
    public static ValidatableResponse send(String payload) {
        return send(payload, signature(SECRET, Instant.now().getEpochSecond(), payload));
    }

    /** Posts the event with {@code signature} as its Stripe-Signature header (none when null). */
    public static ValidatableResponse send(String payload, String signature) {
        var request = given().contentType("application/json; charset=utf-8")
                .body(payload.getBytes(StandardCharsets.UTF_8));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return request.post("/webhooks/stripe").then();
    }
}
