package dev.arcx.orchestrator.user;

import dev.arcx.common.http.ApiException;
import dev.arcx.common.text.UserText;
import dev.arcx.common.tokens.ApiTokens;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Personal API tokens: issued to their owner (or by the admin for a user), listed without the token, revoked. Only
 * the token's SHA-256 is stored; the token itself is in the answer to its creation and nowhere else.
 */
@ApplicationScoped
public class ApiTokenService {
    static final String DEFAULT_NAME = "token";
    private static final int MAX_NAME = 100;
    private static final int MAX_DAYS = 3650;
    private static final String AUDIT_TARGET = "api-token";

    private final ApiTokenRepository tokens;
    private final AuditLog audit;

    ApiTokenService(ApiTokenRepository tokens, AuditLog audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    /** The caller's own token. */
    public Uni<IssuedToken> create(Caller caller, CreateTokenRequest request) {
        if (request == null || request.name() == null || request.name().isBlank()
                || request.name().strip().length() > MAX_NAME) {
            return Uni.createFrom().failure(ApiException.badRequest("name must be 1-" + MAX_NAME + " characters"));
        }
        try {
            UserText.requireDisplayName("name", request.name());
        } catch (ApiException refused) {
            return Uni.createFrom().failure(refused);
        }
        Integer days = request.expiresInDays();
        if (days != null && (days < 1 || days > MAX_DAYS)) {
            return Uni.createFrom().failure(ApiException.badRequest("expiresInDays must be 1-" + MAX_DAYS
                    + ", or left out for a token that does not expire"));
        }
        OffsetDateTime expiresAt = days == null ? null : OffsetDateTime.now(ZoneOffset.UTC).plusDays(days);
        return issue(caller, caller.userId(), request.name().strip(), expiresAt);
    }

    /**
     * Audited as {@code token.create} on the token, naming its user, name, display prefix and expiry (never the
     * token). The user must exist.
     */
    Uni<IssuedToken> issue(Caller caller, UUID userId, String name, OffsetDateTime expiresAt) {
        String token = ApiTokens.generate();
        UUID id = UUID.randomUUID();
        String prefix = ApiTokens.displayPrefix(token);
        return audit.inTransaction(tx -> tokens.insert(tx, id, userId, ApiTokens.hash(token), prefix, name, expiresAt)
                .map(stored -> new IssuedToken(id, userId, name, token, prefix, stored))
                .call(issued -> {
                    Map<String, Object> details = new HashMap<>();
                    details.put("userId", userId.toString());
                    details.put("name", name);
                    details.put("prefix", prefix);
                    if (issued.expiresAt() != null) {
                        details.put("expiresAt", issued.expiresAt().toString());
                    }
                    return audit.record(tx, caller, "token.create", AUDIT_TARGET, id, details);
                }));
    }

    public Uni<List<ApiToken>> list(UUID userId) {
        return tokens.listOwned(userId);
    }

    /** Another user's token is answered like a missing one: 404. Audited as {@code token.revoke}. */
    public Uni<Void> revoke(Caller caller, UUID id) {
        return audit.inTransaction(tx -> tokens.revokeOwned(tx, caller.userId(), id).flatMap(token -> {
            if (token == null) {
                throw ApiException.notFound("no API token " + id);
            }
            return audit.record(tx, caller, "token.revoke", AUDIT_TARGET, id, Map.of("userId", caller.actor(),
                    "name", token.name(), "prefix", token.prefix()));
        }));
    }
}
