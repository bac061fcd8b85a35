package dev.arcx.common.events;

import dev.arcx.common.images.ImageSubjects;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * NATS JetStream names shared by every service: one place, so publishers and subscribers cannot drift apart. Every
 * name belongs to one installation ({@code arcx.installation}): its subjects start with the installation's name and
 * its streams with that name in capitals, so installations sharing a NATS server never hear each other. The default
 * installation {@code arcx} keeps the names of the versions before ({@code arcx.workspace.>}, {@code ARCX_EVENTS}).
 */
public final class Subjects {
    /**
     * What an installation may be called: one subject token and a legal stream name prefix (no {@code .}, {@code *},
     * {@code >}, slashes or whitespace), lower case so that the capitalised stream prefix stays its own.
     */
    private static final Pattern INSTALLATION = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** How long revocations are kept; sessions may not last longer (the orchestrator refuses to start otherwise). */
    public static final Duration REVOCATION_RETENTION = Duration.ofDays(30);

    private final String installation;
    private final ImageSubjects images;

    /** The names of {@code installation}; refuses a name that cannot be part of a subject or a stream name. */
    public Subjects(String installation) {
        this.installation = checked(installation);
        this.images = new ImageSubjects(this.installation);
    }

    /** {@code installation} when it is a valid installation name; otherwise the reason, for a service's start. */
    public static String checked(String installation) {
        if (installation == null || !INSTALLATION.matcher(installation).matches()) {
            throw new IllegalArgumentException("arcx.installation (ARCX_INSTALLATION) must be 1-63 lower-case "
                    + "letters, digits, '-' or '_', starting with a letter or digit (it names this installation's "
                    + "NATS subjects and streams), not '" + installation + "'");
        }
        return installation;
    }

    public String installation() {
        return installation;
    }

    /** The image-builder's subjects of this installation. */
    public ImageSubjects images() {
        return images;
    }

    /** The JetStream stream that keeps the installation's events, e.g. {@code ARCX_EVENTS}. */
    public String eventsStream() {
        return installation.toUpperCase(Locale.ROOT) + "_EVENTS";
    }

    /**
     * The subjects the events stream keeps: events only. Never a catch-all like {@code arcx.>}: the stream would also
     * capture requests such as {@code arcx.images.ensure} and answer them with its own acknowledgement.
     */
    public List<String> eventSubjects() {
        return List.of(allWorkspaceEvents(), images.allEvents(), allAuditEvents());
    }

    /**
     * The stream of {@link SessionRevocation}s. Apart from the events stream because it must be kept as long as a
     * session token can live ({@link #REVOCATION_RETENTION}): a service that starts replays it to know which
     * still-unexpired tokens were revoked.
     */
    public String revocationsStream() {
        return installation.toUpperCase(Locale.ROOT) + "_REVOCATIONS";
    }

    /** Where {@link SessionRevocation}s are published. */
    public String sessionRevoked() {
        return installation + ".auth.session-revoked";
    }

    /**
     * Request/reply: an {@link dev.arcx.common.access.AccessCheck} in, an {@link dev.arcx.common.access.AccessAnswer}
     * out ({@code <installation>.access.check}). NATS core: a question worth asking only while someone waits.
     */
    public String accessCheck() {
        return installation + ".access.check";
    }

    /** The queue group of the installation's access responders (the orchestrators): each check is answered once. */
    public String accessCheckQueue() {
        return installation + "-access";
    }

    /**
     * Where {@link dev.arcx.common.access.AccessNarrowed} announcements go ({@code <installation>.access.narrowed}).
     * NATS core, not a stream: only live caches care, and a cache that may have missed one (it was disconnected)
     * drops everything when it reconnects, so a replay would tell it nothing.
     */
    public String accessNarrowed() {
        return installation + ".access.narrowed";
    }

    /** Every workspace lifecycle event, for subscribers that want them all. */
    public String allWorkspaceEvents() {
        return installation + ".workspace.>";
    }

    /** Every event of one workspace. */
    public String workspaceEvents(UUID workspaceId) {
        return installation + ".workspace." + workspaceId + ".>";
    }

    /** One kind of event, of every workspace. */
    public String workspaceEvents(WorkspaceEventType type) {
        return installation + ".workspace.*." + type.token();
    }

    /** Every audit entry. */
    public String allAuditEvents() {
        return installation + ".audit.>";
    }

    /** {@code <installation>.audit.<action>}, e.g. {@code arcx.audit.workspace.create}; published on NATS core. */
    public String audit(String action) {
        return installation + ".audit." + action;
    }

    /** {@code <installation>.workspace.<id>.<event>} */
    public String workspace(UUID workspaceId, WorkspaceEventType type) {
        return installation + ".workspace." + workspaceId + "." + type.token();
    }

    /** Where {@code event} is published. */
    public String workspace(WorkspaceEvent event) {
        return workspace(event.workspaceId(), event.type());
    }
}
