package dev.arcx.imagebuilder.build;

import dev.arcx.common.events.EventCodec;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.images.ImageEnsureReply;
import dev.arcx.common.images.ImageSelection;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Answers its installation's {@code arcx.images.ensure} requests (request/reply): a selection in, ready / building /
 * refused out. In a queue group, so with several image-builders of one installation each request is answered once.
 */
@ApplicationScoped
public class EnsureResponder {
    private static final Logger LOG = Logger.getLogger(EnsureResponder.class);
    private final Connection nats;
    private final Subjects subjects;
    private final BuildService builds;
    private Dispatcher dispatcher;

    EnsureResponder(Connection nats, Subjects subjects, BuildService builds) {
        this.nats = nats;
        this.subjects = subjects;
        this.builds = builds;
    }

    void onStart(@Observes StartupEvent start) {
        dispatcher = nats.createDispatcher();
        dispatcher.subscribe(subjects.images().ensure(), subjects.images().ensureQueue(), this::answer);
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (dispatcher != null) {
            nats.closeDispatcher(dispatcher);
        }
    }

    private void answer(Message request) {
        if (request.getReplyTo() == null) {
            return;
        }
        ImageSelection selection;
        try {
            selection = EventCodec.decode(request.getData(), ImageSelection.class);
        } catch (RuntimeException e) {
            reply(request, ImageEnsureReply.refused("not an image selection: " + e.getMessage()));
            return;
        }
        // The dispatcher's thread only hands over: planning reads the recipes, the fast path asks the engine.
        builds.ensure(selection).subscribe().with(ensured -> reply(request, ensured.reply()), failure -> {
            if (!(failure instanceof ApiException)) {
                LOG.warnf(failure, "ensure %s failed", selection);
            }
            reply(request, failure instanceof ApiException api ? ImageEnsureReply.refused(api.getMessage())
                    : ImageEnsureReply.error("the image-builder could not answer: " + failure.getMessage()));
        });
    }

    private void reply(Message request, ImageEnsureReply reply) {
        nats.publish(request.getReplyTo(), EventCodec.encode(reply));
    }
}
