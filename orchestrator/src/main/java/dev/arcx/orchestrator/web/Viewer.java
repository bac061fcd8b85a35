package dev.arcx.orchestrator.web;

import io.quarkus.qute.TemplateData;
import java.util.UUID;

/**
 * The signed-in user a dashboard page is for, and the CSRF token its scripts send in {@code X-CSRF-Token} (null when
 * the page was not asked for with the session cookie), and whether they are an administrator (the admin pages).
 */
@TemplateData
public record Viewer(UUID id, String login, String csrfToken, boolean admin) {
}
