package dev.arcx.orchestrator.user;

import java.time.OffsetDateTime;
import java.util.UUID;

/** @param admin whether the user also holds the admin role ({@code users.is_admin}) */
public record User(UUID id, String login, String plan, boolean admin, OffsetDateTime createdAt) {
}
