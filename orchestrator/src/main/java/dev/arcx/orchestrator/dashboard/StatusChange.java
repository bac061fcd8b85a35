package dev.arcx.orchestrator.dashboard;

import dev.arcx.common.events.WorkspaceEvent;

/** What the dashboard's live stream says about a workspace: its new status, and why when there is a reason. */
public record StatusChange(String workspaceId, String name, String event, String status, String reason) {
    static StatusChange of(WorkspaceEvent e) {
        return new StatusChange(e.workspaceId().toString(), e.name(), e.type().token(),
                e.status() == null ? null : e.status().wireName(), e.reason());
    }
}
