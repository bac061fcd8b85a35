package dev.arcx.orchestrator.webhook;

import dev.arcx.common.events.WorkspaceEventType;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.tokens.ApiTokens;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** A user's webhooks: registration rules, listing, removal, and what was delivered to them. */
@ApplicationScoped
public class WebhookService {
    static final String SECRET_PREFIX = "whsec_";
    private static final int MAX_URL_LENGTH = 2048;
    private static final int MAX_HOOKS_PER_USER = 20;
    private static final int DELIVERIES_SHOWN = 50;
    /** Event names as the X-Arcx-Event header carries them: {@code workspace.<lifecycle event>}. */
    static final Set<String> EVENT_NAMES = Arrays.stream(WorkspaceEventType.values()).map(WebhookService::eventName)
            .collect(Collectors.toUnmodifiableSet());

    private final WebhookRepository hooks;
    private final AuditLog audit;

    WebhookService(WebhookRepository hooks, AuditLog audit) {
        this.hooks = hooks;
        this.audit = audit;
    }

    static String eventName(WorkspaceEventType type) {
        return "workspace." + type.token();
    }

    public Uni<CreatedWebhook> register(Caller caller, CreateWebhookRequest request) {
        if (request == null || request.url() == null) {
            return Uni.createFrom().failure(ApiException.badRequest("a JSON body with 'url' is required"));
        }
        UUID ownerId = caller.userId();
        List<String> events;
        try {
            checkUrl(request.url());
            events = events(request.events());
        } catch (ApiException e) {
            return Uni.createFrom().failure(e);
        }
        return hooks.listOwned(ownerId).flatMap(existing -> {
            if (existing.size() >= MAX_HOOKS_PER_USER) {
                throw ApiException.conflict("you already have " + MAX_HOOKS_PER_USER + " webhooks; delete one first");
            }
            return audit.inTransaction(tx -> hooks.insert(tx, UUID.randomUUID(), ownerId, request.url(), events,
                    ApiTokens.randomSecret(SECRET_PREFIX)).call(created -> audit.record(tx, caller, "webhook.create",
                            "webhook", created.id(), Map.of("url", created.url(), "events",
                                    created.events() == null ? "all" : created.events()))));
        });
    }

    public Uni<List<Webhook>> list(UUID ownerId) {
        return hooks.listOwned(ownerId);
    }

    public Uni<Void> delete(Caller caller, UUID id) {
        return audit.inTransaction(tx -> hooks.deleteOwned(tx, caller.userId(), id).flatMap(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return audit.record(tx, caller, "webhook.delete", "webhook", id, Map.of());
        }));
    }

    public Uni<List<WebhookDelivery>> deliveries(UUID ownerId, UUID id) {
        return hooks.findOwned(ownerId, id).onItem().ifNull().failWith(() -> notFound(id))
                .flatMap(hook -> hooks.deliveriesOwned(ownerId, id, DELIVERIES_SHOWN));
    }

    /**
     * Absolute http(s) URLs with a host and without user info: credentials in a URL end up in logs and listings,
     * and the signature is the receiver's proof of origin anyway.
     */
    private static void checkUrl(String url) {
        if (url.length() > MAX_URL_LENGTH) {
            throw ApiException.badRequest("url must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.badRequest("url must be an http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.badRequest("url must not contain credentials; verify deliveries by their signature");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ApiException.badRequest("url must name a host");
        }
    }

    private static List<String> events(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return null;
        }
        for (String name : requested) {
            if (!EVENT_NAMES.contains(name)) {
                throw ApiException.badRequest("unknown event '" + name + "'; events are "
                        + EVENT_NAMES.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
        return List.copyOf(new LinkedHashSet<>(requested));
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("no webhook " + id);
    }
}
