package dev.arcx.orchestrator.inbound;

import dev.arcx.common.http.ApiException;
import dev.arcx.common.support.HmacSha256;
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

/**
 * GitHub's webhook endpoint: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>} keyed with
 * {@code ARCX_GITHUB_WEBHOOK_SECRET}; a bad or missing signature is 401 and changes nothing. Each delivery
 * ({@code X-GitHub-Delivery}) is recorded once, in the audit log as {@code github.event} (ping, installation, …); a
 * redelivery answers 200 with {@code duplicate: true}. No event drives anything else yet.
 */
@Path("/webhooks/github")
@PermitAll
public class GitHubWebhookResource {
    private static final String PREFIX = "sha256=";

    private final GitHubEvents events;
    private final Callers callers;
    private final OrchestratorConfig.GitHub config;

    GitHubWebhookResource(GitHubEvents events, Callers callers, OrchestratorConfig config) {
        this.events = events;
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
            throw ApiException.unauthorized("X-Hub-Signature-256 does not match the payload");
        }
        if (delivery == null || delivery.isBlank() || event == null || event.isBlank()) {
            throw ApiException.badRequest("X-GitHub-Delivery and X-GitHub-Event are required");
        }
        return events.record(delivery, event, body, callers.sourceIp());
    }
}
