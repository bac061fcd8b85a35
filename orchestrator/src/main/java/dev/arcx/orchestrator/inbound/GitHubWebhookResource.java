package dev.arcx.orchestrator.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.support.HmacSha256;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
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
import java.util.HashMap;
import java.util.Map;

/**
 * GitHub's webhook endpoint: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>} keyed with
 * {@code ARCX_GITHUB_WEBHOOK_SECRET}; a bad or missing signature is 401 and changes nothing. Each delivery
 * ({@code X-GitHub-Delivery}) is recorded once, in the audit log as {@code github.event} (ping, installation, …); a
 * redelivery answers 200 with {@code duplicate: true}. No event drives anything else yet.
 */
@Path("/webhooks/github")
@PermitAll
public class GitHubWebhookResource {
    static final String SOURCE = "github";
    private static final String PREFIX = "sha256=";

    private final InboundEvents events;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Callers callers;
    private final OrchestratorConfig.GitHub config;

    GitHubWebhookResource(InboundEvents events, AuditLog audit, ObjectMapper json, Callers callers,
            OrchestratorConfig config) {
        this.events = events;
        this.audit = audit;
        this.json = json;
        this.callers = callers;
        this.config = config.github();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Received> receive(@HeaderParam("X-Hub-Signature-256") String signature,
            @HeaderParam("X-GitHub-Event") String event, @HeaderParam("X-GitHub-Delivery") String delivery,
            byte[] body) {
        String secret = config.webhookSecret()
                .orElseThrow(() -> ApiException.notFound("GitHub webhooks are not configured (ARCX_GITHUB_WEBHOOK_SECRET)"));
        if (signature == null || !signature.startsWith(PREFIX)
                || !HmacSha256.matches(secret, body, signature.substring(PREFIX.length()))) {
            throw new ApiException(401, "Unauthorized", "X-Hub-Signature-256 does not match the payload");
        }
        if (delivery == null || delivery.isBlank() || event == null || event.isBlank()) {
            throw ApiException.badRequest("X-GitHub-Delivery and X-GitHub-Event are required");
        }
        Map<String, Object> details = details(event, body);
        Caller github = new Caller(SOURCE, callers.sourceIp());
        // Claimed and recorded together: a delivery whose entry failed is not claimed, so GitHub's retry records it.
        return events.pool().withTransaction(tx -> events.claim(tx, SOURCE, delivery, event)
                .flatMap(fresh -> !fresh ? Uni.createFrom().item(new Received(delivery, true, "already received"))
                        : audit.record(tx, github, "github.event", "github-delivery", delivery, details)
                                .replaceWith(new Received(delivery, false, "recorded"))));
    }

    /** The event name, and from the payload what tells deliveries apart in the log: action, installation, sender. */
    private Map<String, Object> details(String event, byte[] body) {
        Map<String, Object> details = new HashMap<>();
        details.put("event", event);
        try {
            JsonNode payload = json.readTree(body);
            if (payload != null) {
                putText(details, "action", payload.path("action"));
                putText(details, "sender", payload.path("sender").path("login"));
                if (payload.path("installation").path("id").isNumber()) {
                    details.put("installationId", payload.path("installation").path("id").asLong());
                }
            }
        } catch (IOException e) {
            details.put("payload", "not JSON");
        }
        return details;
    }

    private static void putText(Map<String, Object> details, String key, JsonNode value) {
        if (value.isTextual()) {
            details.put(key, value.asText());
        }
    }
}
