package dev.arcx.orchestrator.user;

import java.time.OffsetDateTime;
import java.util.UUID;

public record User(UUID id, String login, String plan, OffsetDateTime createdAt) {
}
