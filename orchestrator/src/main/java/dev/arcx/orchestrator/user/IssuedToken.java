package dev.arcx.orchestrator.user;

import java.util.UUID;

/** A freshly issued personal API token: the only time the token itself is ever shown. */
public record IssuedToken(UUID id, UUID userId, String token, String prefix) {
}
