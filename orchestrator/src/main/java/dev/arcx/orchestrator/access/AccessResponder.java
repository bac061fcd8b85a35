package dev.arcx.orchestrator.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcx.common.access.AccessAnswer;
import dev.arcx.common.access.AccessCheck;
import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.json.StrictJson;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import org.jboss.logging.Logger;

/**
 * Answers the installation's access checks ({@code <installation>.access.check}) in the orchestrators' queue group,
 * so each check is answered once however many orchestrators run. Only this installation's services reach the
 * subject: every name on NATS starts with the installation's. A request that cannot be read, or that does not name
 * a user and a workspace, gets an error answer; a database failure too (the caller asks again or refuses); nothing
 * a request holds stops the responder.
 */
@ApplicationScoped
public class AccessResponder {
    private static final Logger LOG = Logger.getLogger(AccessResponder.class);
    /** Requests are read as strictly as API bodies: a key twice, a non-string id or trailing content is an error. */
    private static final ObjectMapper REQUESTS = StrictJson.configure(new ObjectMapper());

    private final Connection nats;
    private final Subjects subjects;
    private final AccessService access;
    private Dispatcher dispatcher;

    AccessResponder(Connection nats, Subjects subjects, AccessService access) {
        this.nats = nats;
        this.subjects = subjects;
        this.access = access;
    }

    void onStart(@Observes StartupEvent start) {
        dispatcher = nats.createDispatcher(this::onRequest);
        dispatcher.subscribe(subjects.accessCheck(), subjects.accessCheckQueue());
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (dispatcher != null && nats.getStatus() != Connection.Status.CLOSED) {
            nats.closeDispatcher(dispatcher);
        }
    }

    private void onRequest(Message request) {
        String replyTo = request.getReplyTo();
        if (replyTo == null || replyTo.isEmpty()) {
            LOG.debugf("an access check without a reply subject on %s; nobody to answer", request.getSubject());
            return;
        }
        AccessCheck check;
        try {
            check = REQUESTS.readValue(request.getData(), AccessCheck.class);
        } catch (IOException | RuntimeException unreadable) {
            reply(replyTo, AccessAnswer.error("an access check is a JSON object {version, userId, workspaceId}"));
            return;
        }
        access.check(check).subscribe().with(answer -> reply(replyTo, answer), failure -> {
            LOG.warnf("an access check could not be answered: %s", failure.getMessage());
            reply(replyTo, AccessAnswer.error("the access rule could not be read; ask again"));
        });
    }

    private void reply(String replyTo, AccessAnswer answer) {
        try {
            nats.publish(replyTo, EventCodec.encode(answer));
        } catch (RuntimeException lost) {
            // The asker times out and asks again or refuses.
            LOG.debugf("an access answer was not sent: %s", lost.getMessage());
        }
    }
}
