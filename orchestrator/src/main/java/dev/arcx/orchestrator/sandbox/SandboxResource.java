package dev.arcx.orchestrator.sandbox;

import dev.arcx.orchestrator.support.CurrentUser;
import dev.arcx.common.auth.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * Code execution. The same call answers JSON, or with {@code Accept: text/event-stream} streams
 * {@code stdout}/{@code stderr} events as output arrives and a final {@code result} event.
 */
@Path("/api/exec")
@RolesAllowed(Roles.USER)
@Consumes(MediaType.APPLICATION_JSON)
public class SandboxResource {
    private final SandboxService sandbox;
    private final SecurityIdentity identity;

    SandboxResource(SandboxService sandbox, SecurityIdentity identity) {
        this.sandbox = sandbox;
        this.identity = identity;
    }

    /** A session as the API shows it. */
    public record SessionView(UUID id, OffsetDateTime createdAt, OffsetDateTime lastUsedAt) {
        static SessionView of(SandboxSession s) {
            return new SessionView(s.id(), s.createdAt(), s.lastUsedAt());
        }
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ExecResult> run(ExecRequest request) {
        return sandbox.run(user(), plan(), null, request, null);
    }

    @POST
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> runStreaming(ExecRequest request, @Context Sse sse) {
        return stream(sse, sandbox.admit(user(), plan(), null, request));
    }

    @POST
    @Path("/sessions")
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<SessionView> openSession() {
        return sandbox.openSession(user(), plan()).map(SessionView::of);
    }

    @GET
    @Path("/sessions")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<SessionView>> sessions() {
        return sandbox.sessions(user()).map(list -> list.stream().map(SessionView::of).toList());
    }

    @POST
    @Path("/sessions/{id}/run")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ExecResult> runInSession(@PathParam("id") UUID id, ExecRequest request) {
        return sandbox.run(user(), plan(), id, request, null);
    }

    @POST
    @Path("/sessions/{id}/run")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> runInSessionStreaming(@PathParam("id") UUID id, ExecRequest request,
            @Context Sse sse) {
        return stream(sse, sandbox.admit(user(), plan(), id, request));
    }

    @DELETE
    @Path("/sessions/{id}")
    @ResponseStatus(204)
    public Uni<Void> endSession(@PathParam("id") UUID id) {
        return sandbox.endSession(user(), id);
    }

    /**
     * Output chunks as they arrive, then the result. Validation and admission are awaited (on a worker thread: the
     * streaming methods are blocking) before the stream starts, so a refusal is an ordinary problem+json answer
     * with its 4xx status rather than a broken stream.
     */
    private Multi<OutboundSseEvent> stream(Sse sse, Uni<SandboxService.Admitted> admission) {
        SandboxService.Admitted admitted = admission.await().indefinitely();
        return Multi.createFrom().emitter(emitter -> sandbox.execute(admitted, (stderr, text) -> emitter.emit(
                sse.newEventBuilder().name(stderr ? "stderr" : "stdout").data(text).build()))
                .subscribe().with(result -> {
                    emitter.emit(sse.newEventBuilder().name("result").mediaType(MediaType.APPLICATION_JSON_TYPE)
                            .data(ExecResult.class, result).build());
                    emitter.complete();
                }, emitter::fail));
    }

    private UUID user() {
        return CurrentUser.id(identity);
    }

    private String plan() {
        return CurrentUser.plan(identity);
    }
}
