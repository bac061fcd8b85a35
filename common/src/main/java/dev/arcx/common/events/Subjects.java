package dev.arcx.common.events;

import java.util.UUID;

/** NATS JetStream names shared by every service: one place, so publishers and subscribers cannot drift apart. */
public final class Subjects {
    /** The JetStream stream that keeps the platform's events. */
    public static final String EVENTS_STREAM = "ARCX_EVENTS";
    /** Every subject the stream captures. */
    public static final String ALL_EVENTS = "arcx.>";
    /** Every workspace lifecycle event, for subscribers that want them all. */
    public static final String ALL_WORKSPACE_EVENTS = "arcx.workspace.>";

    private Subjects() {
    }

    /** {@code arcx.workspace.<id>.<event>} */
    public static String workspace(UUID workspaceId, WorkspaceEventType type) {
        return "arcx.workspace." + workspaceId + "." + type.token();
    }
}
