package dev.arcx.orchestrator.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcx.common.http.ApiException;
import dev.arcx.orchestrator.audit.Callers;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Instant;

/**
 * Stripe's webhook endpoint. The raw body is verified against {@code Stripe-Signature} before it is even parsed:
 * a bad, missing or stale signature is 400 and changes nothing; a verified event already received answers 200 with
 * {@code duplicate: true} and acts no second time.
 */
@Path("/webhooks/stripe")
@PermitAll
public class StripeWebhookResource {
    private final StripeEvents events;
    private final ObjectMapper json;
    private final Callers callers;
    private final OrchestratorConfig.Stripe config;

    StripeWebhookResource(StripeEvents events, ObjectMapper json, Callers callers, OrchestratorConfig config) {
        this.events = events;
        this.json = json;
        this.callers = callers;
        this.config = config.stripe();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Received> receive(@HeaderParam("Stripe-Signature") String signature, byte[] body) {
        String secret = config.webhookSecret()
                .orElseThrow(() -> ApiException.notFound("Stripe webhooks are not configured (ARCX_STRIPE_WEBHOOK_SECRET)"));
        StripeSignature.problem(signature, body, secret, config.tolerance(), Instant.now()).ifPresent(problem -> {
            throw ApiException.badRequest(problem);
        });
        JsonNode event;
        try {
            event = json.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not a JSON Stripe event");
        }
        if (event == null || !event.path("id").isTextual() || !event.path("type").isTextual()) {
            throw ApiException.badRequest("a Stripe event has an id and a type");
        }
        return events.handle(event.get("id").asText(), event.get("type").asText(),
                event.path("data").path("object"), callers.sourceIp());
    }
}
