package dev.arcx.common.events;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** NATS JetStream names shared by every service: one place, so publishers and subscribers cannot drift apart. */
public final class Subjects {
    /** The JetStream stream that keeps the platform's events. */
    public static final String EVENTS_STREAM = "ARCX_EVENTS";
    /**
     * The subjects the stream keeps: events only. Never a catch-all like {@code arcx.>}: the stream would also
     * capture requests such as {@code arcx.images.ensure} and answer them with its own acknowledgement.
     */
    public static final List<String> EVENT_SUBJECTS = List.of("arcx.workspace.>", "arcx.image.>", "arcx.audit.>");
    /**
     * The stream of {@link SessionRevocation}s. Apart from the events stream because it must be kept as long as a
     * session token can live ({@link #REVOCATION_RETENTION}): a service that starts replays it to know which
     * still-unexpired tokens were revoked.
     */
    public static final String REVOCATIONS_STREAM = "ARCX_REVOCATIONS";
    /** Where {@link SessionRevocation}s are published. */
    public static final String SESSION_REVOKED = "arcx.auth.session-revoked";
    /** How long revocations are kept; sessions may not last longer (the orchestrator refuses to start otherwise). */
    public static final Duration REVOCATION_RETENTION = Duration.ofDays(30);
    /** Every workspace lifecycle event, for subscribers that want them all. */
    public static final String ALL_WORKSPACE_EVENTS = "arcx.workspace.>";

    private Subjects() {
    }

    /** {@code arcx.audit.<action>}, e.g. {@code arcx.audit.workspace.create}; published on NATS core. */
    public static String audit(String action) {
        return "arcx.audit." + action;
    }

    /** {@code arcx.workspace.<id>.<event>} */
    public static String workspace(UUID workspaceId, WorkspaceEventType type) {
        return "arcx.workspace." + workspaceId + "." + type.token();
    }
}
