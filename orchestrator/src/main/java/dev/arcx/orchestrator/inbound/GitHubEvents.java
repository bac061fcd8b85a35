package dev.arcx.orchestrator.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A verified GitHub delivery, recorded once: in the audit log as {@code github.event} with what tells deliveries
 * apart (event, action, sender, installation). No event drives anything else yet.
 */
@ApplicationScoped
public class GitHubEvents {
    static final String SOURCE = "github";

    private final InboundEvents events;
    private final AuditLog audit;
    private final ObjectMapper json;

    GitHubEvents(InboundEvents events, AuditLog audit, ObjectMapper json) {
        this.events = events;
        this.audit = audit;
        this.json = json;
    }

    /** Records delivery {@code delivery} of {@code event}; a redelivery is answered as a duplicate and changes nothing. */
    public Uni<Received> record(String delivery, String event, byte[] body, String sourceIp) {
        Map<String, Object> details = details(event, body);
        Caller github = new Caller(SOURCE, sourceIp);
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
