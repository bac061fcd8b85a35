package dev.arcx.orchestrator.access;

import dev.arcx.common.access.AccessClient;
import dev.arcx.common.access.AccessNarrowed;
import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Tells every service that someone's access narrowed: each {@link AccessNarrowed} the orchestrator fires (after the
 * change committed) drops this process's kept answers at once and is announced on
 * {@code <installation>.access.narrowed}, where every {@link AccessClient} of the installation drops its own.
 */
@ApplicationScoped
public class AccessAnnouncer {
    private static final Logger LOG = Logger.getLogger(AccessAnnouncer.class);

    private final Connection nats;
    private final Subjects subjects;
    private final AccessClient client;

    AccessAnnouncer(Connection nats, Subjects subjects, AccessClient client) {
        this.nats = nats;
        this.subjects = subjects;
        this.client = client;
    }

    void onNarrowed(@Observes AccessNarrowed narrowed) {
        // Here before the change's request is answered: what the caller does next already sees the narrower access.
        client.narrowed(narrowed);
        try {
            // While NATS is away the client keeps it and sends it on reconnection; the other services' clients drop
            // everything then anyway.
            nats.publish(subjects.accessNarrowed(), EventCodec.encode(narrowed));
        } catch (RuntimeException notSent) {
            LOG.warnf("access narrowing for user %s / workspace %s not announced: %s; other services' kept "
                    + "answers expire within their TTL", narrowed.userId(), narrowed.workspaceId(),
                    notSent.getMessage());
        }
    }
}
